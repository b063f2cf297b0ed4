using Marketplace.Core.Payments.Webhooks;

namespace Marketplace.Core.Payments;

/// <summary>
/// The one seam every gateway implements; <see cref="PaymentGateways"/> lists them. A gateway starts a payment, reads
/// its webhooks (at the door: verified and turned into an inbox event; in the job: what the stored event says about
/// which payment), confirms what an event claims with the provider, and closes a checkout that lapsed. Completion is
/// never a gateway's business: <see cref="GatewayEventHandler{TGateway}"/> applies what it says through
/// <see cref="PaymentService.CompleteAsync(Guid, PaymentOutcome, string?, CompletionDetails, CancellationToken)"/>.
/// Expected failures are results; an exception is a bug (or, in the job, a retry).
/// </summary>
public interface IPaymentGateway
{
    /// <summary>The wire name (demo, stripe, clickpesa, bank): <c>gateway</c> in the API, the webhook route, the clearing account.</summary>
    string Name { get; }

    /// <summary>The label in the "Payment method" group.</summary>
    string DisplayName { get; }

    /// <summary>The origin the Buy credits form redirects to (CSP form-action must name it), or null when the checkout is a page of ours.</summary>
    HostedCheckoutOrigin? CheckoutOrigin { get; }

    /// <summary>Whether an open payment lapses after <c>Payments:ExpireAfter</c> (and can be abandoned at its checkout); bank transfers wait for an admin instead.</summary>
    bool ExpiresByAge { get; }

    bool Supports(Currency currency);

    /// <summary>Whether top-up packages (a fixed price for fixed credits and bonus) are sold through this gateway.</summary>
    bool SellsPackages => true;

    /// <summary>The smallest amount this gateway takes (or its value in another currency), shown beside it before submit; null for none.</summary>
    Money? Minimum => null;

    /// <summary>Why this gateway will not take the amount (e.g. below its minimum), or null; asked before a payment is created.</summary>
    InitiateResult.Invalid? Refuse(Money amount, Credits credits) => null;

    /// <summary>Opens the payment at the gateway: where to send the shopper, or the instructions page.</summary>
    Task<StartResult> StartAsync(Payment payment, Uri siteOrigin, CancellationToken cancellationToken);

    /// <summary>At the webhook door: is the delivery authentic, and which inbox event is it? Nothing is stored yet.</summary>
    WebhookReading ReadWebhook(WebhookDelivery delivery);

    /// <summary>In the inbox job: what a stored event says, and about which payment.</summary>
    PaymentEvent ReadEvent(WebhookInboxItem item);

    /// <summary>
    /// What the provider itself says about <paramref name="news"/> before it is applied: ClickPesa's webhooks are only
    /// notifications, so its status API decides; a signed Stripe or demo event is its own confirmation.
    /// </summary>
    Task<PaymentNews> ConfirmAsync(Payment payment, PaymentNews news, CancellationToken cancellationToken);

    /// <summary>Closes an open checkout at the gateway, so it can no longer be paid (expiry, or the shopper abandoned it).</summary>
    Task<CheckoutClosing> CloseAsync(Payment payment, CancellationToken cancellationToken);
}

/// <summary>What starting a payment at its gateway gave.</summary>
public abstract record StartResult
{
    private StartResult()
    {
    }

    /// <summary>Send the shopper to the gateway's hosted checkout (or the demo's look-alike).</summary>
    public sealed record Redirect(Uri CheckoutUrl, string ProviderReference) : StartResult;

    /// <summary>Nothing to pay at a third party: our page shows the shopper what to do (bank details and reference).</summary>
    public sealed record Instructions(Uri Page, string ProviderReference) : StartResult;

    /// <summary>The gateway refused or could not be reached; the payment is marked failed.</summary>
    /// <param name="Code">Our stable problem code, e.g. <c>gateway_unavailable</c>, <c>gateway_rejected</c>.</param>
    /// <param name="Unavailable">True when trying again later may work (rate limit, outage), false when the request itself was refused.</param>
    public sealed record Failed(string Code, string Message, bool Unavailable) : StartResult;
}

public enum CheckoutClosing
{
    /// <summary>The gateway will not take money for it any more.</summary>
    Closed,

    /// <summary>The shopper paid after all; leave the payment to the gateway's events.</summary>
    Paid,

    /// <summary>Could not tell (gateway unreachable); ask again later.</summary>
    TryLater,
}

/// <summary>One gateway's entry in <see cref="PaymentGateways"/>.</summary>
public interface IGatewayRegistration
{
    /// <summary>The wire name, known without configuration (clearing accounts exist for every gateway).</summary>
    static abstract string GatewayName { get; }

    /// <summary>
    /// Adds what the gateway needs besides itself when it is configured; false when it is not offered here. Its settings
    /// are read from <paramref name="settings"/>, since whether it exists must be known before the container is built.
    /// </summary>
    static abstract bool TryAdd(Microsoft.Extensions.DependencyInjection.IServiceCollection services, Settings.StartupSettings settings);
}
