using System.Text.Json;

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

/// <summary>Client-side events the server raises and elements listen for.</summary>
public static class HtmxEvents
{
    /// <summary>The header balance and the wallet's balance card refresh on it (hx-trigger "balance-changed from:body").</summary>
    public const string BalanceChanged = "balance-changed";
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

    /// <summary>
    /// Raises a client-side event (e.g. "balance-changed") on body after the swap. htmx 4 fires it on
    /// the requesting element by default, which an outerHTML swap has already detached, so the event
    /// would never bubble to the <c>from:body</c> listeners; the JSON form names body as the target.
    /// </summary>
    public static void TriggerClientEvent(this HttpResponse response, string eventName)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers[HtmxHeaders.Trigger] = JsonSerializer.Serialize(new Dictionary<string, object> { [eventName] = new { target = "body" } });
    }
}
