namespace Marketplace.Core.Payments;

/// <summary>Where to send the shopper to pay, and the gateway's own reference for the payment.</summary>
public sealed record GatewayCheckout(Uri PaymentUrl, string ProviderReference);

/// <summary>
/// One payment provider. Completion never comes from here: it arrives as an event (webhook or admin decision).
/// A provider that cannot start a checkout throws <see cref="PaymentGatewayException"/>; gateways whose checkouts
/// lapse also implement <see cref="ICheckoutExpiry"/>.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>The wire name: demo, stripe, clickpesa or bank.</summary>
    string Name { get; }

    /// <summary>The label in the "Payment method" group.</summary>
    string DisplayName { get; }

    bool Supports(Currency currency);

    /// <summary>Why this gateway will not take the amount (e.g. below its minimum), or null; asked before a payment is created.</summary>
    InitiateResult.Invalid? Refuse(Money amount, Credits credits) => null;

    Task<GatewayCheckout> StartCheckoutAsync(Payment payment, Uri siteOrigin, CancellationToken cancellationToken);
}
