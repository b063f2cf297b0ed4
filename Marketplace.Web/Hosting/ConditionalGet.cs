using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Web.Hosting;

/// <summary>
/// Conditional GET for per-user answers that are polled (the balance): an ETag computed from exactly what the answer
/// shows, read in the same request, so a 304 can only ever confirm the copy the client already has; a purchase, top-up,
/// refund or transfer changes what is shown and with it the ETag. Browsers revalidate on every use (private, no-cache)
/// and hand the cached body to the page on a 304, so polling code needs no change.
/// </summary>
public static class ConditionalGet
{
    /// <summary>A weak ETag naming these values (the user's id among them, so one browser's cache never crosses users).</summary>
    public static string ETagOf(params ReadOnlySpan<string> parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', parts.ToArray())));
        return $"W/\"{Convert.ToHexStringLower(hash.AsSpan(0, 12))}\"";
    }

    /// <summary>Sets the ETag and the caching rules; true when the request's If-None-Match already names this ETag, to answer 304.</summary>
    public static bool IsCurrent(HttpContext context, string etag)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = "private, no-cache";
        var opaque = etag[2..];
        foreach (var candidate in context.Request.Headers.IfNoneMatch)
        {
            if (candidate is null)
            {
                continue;
            }

            // Weak comparison (RFC 9110 13.1.2): the opaque tags match, W/ or not.
            foreach (var tag in candidate.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (tag == "*" || (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag) == opaque)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
