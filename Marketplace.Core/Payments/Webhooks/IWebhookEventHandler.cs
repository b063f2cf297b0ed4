namespace Marketplace.Core.Payments.Webhooks;

/// <summary>
/// Applies one gateway's verified webhook events to payments: what the inbox job calls, picked by <see cref="Gateway"/>,
/// in a fresh DI scope per row. Every real gateway's is a <see cref="GatewayEventHandler{TGateway}"/>, registered by
/// <see cref="PaymentGateways"/>. Contract:
/// <list type="bullet">
/// <item>Idempotent: the same row can be handed over again (a crash after applying, an admin Retry), so apply
/// through <see cref="PaymentService.CompleteAsync"/>, which credits once under <c>topup:&lt;payment id&gt;</c>.</item>
/// <item>Return <see cref="WebhookHandling.Done"/> when applied or nothing is to be done (unknown event type,
/// payment already final), <see cref="WebhookHandling.Retry"/> for a failure worth retrying with backoff (gateway
/// API down), <see cref="WebhookHandling.Park"/> when it needs an admin (amount mismatch). An exception counts
/// as Retry with its message.</item>
/// <item>Signature checks happen before the row is stored (<see cref="WebhookReceiver"/>); the handler trusts the payload.</item>
/// </list>
/// </summary>
public interface IWebhookEventHandler
{
    /// <summary>The gateway wire name this handler serves, as stored in <see cref="WebhookInboxItem.Gateway"/>.</summary>
    string Gateway { get; }

    Task<WebhookHandling> HandleAsync(WebhookInboxItem item, CancellationToken cancellationToken);
}

/// <summary>What a handler made of one inbox row.</summary>
public abstract record WebhookHandling
{
    private WebhookHandling()
    {
    }

    /// <summary>The row is finished. <paramref name="PaymentId"/> links it to its payment on the admin page.</summary>
    public sealed record Done(Guid? PaymentId = null, string? Note = null) : WebhookHandling;

    /// <summary>Try again later (exponential backoff; a dead letter after <c>Webhooks:MaxAttempts</c>).</summary>
    public sealed record Retry(string Error, Guid? PaymentId = null) : WebhookHandling;

    /// <summary>Do not apply and do not retry by itself: an admin looks at it (and may Retry it).</summary>
    public sealed record Park(string Reason, Guid? PaymentId = null) : WebhookHandling;
}
