namespace Marketplace.Core.Payments;

/// <summary>
/// An origin outside this site that the Buy credits form redirects to (a gateway's hosted checkout). The page's
/// Content-Security-Policy <c>form-action</c> must name it, because browsers check form-action on every redirect of a
/// form submission. Named by each gateway that has a hosted page (<see cref="IPaymentGateway.CheckoutOrigin"/>).
/// </summary>
public sealed record HostedCheckoutOrigin(string Source)
{
    /// <summary>The gateway's real hosted page, or a stand-in's own origin when the API base is not the vendor's (tests, staging).</summary>
    public static HostedCheckoutOrigin For(Uri apiBase, Uri vendorApiBase, string vendorCheckoutSource)
    {
        ArgumentNullException.ThrowIfNull(apiBase);
        ArgumentNullException.ThrowIfNull(vendorApiBase);
        return new HostedCheckoutOrigin(apiBase.GetLeftPart(UriPartial.Authority) == vendorApiBase.GetLeftPart(UriPartial.Authority)
            ? vendorCheckoutSource
            : apiBase.GetLeftPart(UriPartial.Authority));
    }
}
