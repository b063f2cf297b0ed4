namespace Marketplace.Web.Htmx;

/// <summary>The htmx header names we read and write, in one place.</summary>
public static class HtmxHeaders
{
    public const string Request = "HX-Request";
    public const string Trigger = "HX-Trigger";
    public const string Redirect = "HX-Redirect";
    public const string Refresh = "HX-Refresh";
    public const string Vary = "Vary";
}

public static class HtmxExtensions
{
    public static bool IsHtmx(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers[HtmxHeaders.Request] == "true";
    }

    /// <summary>A response that differs for htmx and full-page requests must say so to caches.</summary>
    public static void VaryOnHtmx(this HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.Append(HtmxHeaders.Vary, HtmxHeaders.Request);
    }

    /// <summary>Raises a client-side event (e.g. "balance-changed") after the swap.</summary>
    public static void TriggerClientEvent(this HttpResponse response, string eventName)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers[HtmxHeaders.Trigger] = eventName;
    }
}
