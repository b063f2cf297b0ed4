namespace Marketplace.Core.Payments;

public enum CheckoutExpiry
{
    /// <summary>The gateway will not take money for it any more: mark the payment expired.</summary>
    Expired,

    /// <summary>The shopper completed it after all; leave the payment to the gateway's events.</summary>
    Completed,

    /// <summary>Could not tell (gateway unreachable); the next expiry sweep asks again.</summary>
    TryLater,
}

/// <summary>
/// Implemented by gateways whose open checkouts lapse after <c>Payments:ExpireAfter</c> (demo, Stripe). The expiry
/// job closes the checkout at the gateway first (Stripe: expire the session), so a payment is never marked expired
/// while the shopper can still pay. Gateways without it (bank transfer: waits for an admin) never expire by age.
/// </summary>
public interface ICheckoutExpiry
{
    Task<CheckoutExpiry> CloseCheckoutAsync(Payment payment, CancellationToken cancellationToken);
}
