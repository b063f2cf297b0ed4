using Htmx;

namespace Marketplace.Web.Htmx;

/// <summary>Client-side events the server raises and elements listen for (the Htmx package has the header names).</summary>
public static class HtmxEvents
{
    /// <summary>The header balance and the wallet's balance card refresh on it (hx-trigger "balance-changed from:body").</summary>
    public const string BalanceChanged = "balance-changed";

    /// <summary>
    /// Raises <see cref="BalanceChanged"/> on body after the swap. htmx 4 fires an HX-Trigger event on the requesting
    /// element by default, which an outerHTML swap has already detached, so it would never bubble to the
    /// <c>from:body</c> listeners; the detail's <c>target</c> names body instead.
    /// </summary>
    public static HtmxResponseHeaders WithBalanceChanged(this HtmxResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.WithTrigger(BalanceChanged, new { target = "body" });
    }
}
