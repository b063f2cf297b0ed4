namespace Marketplace.Core.Payments.Webhooks;

/// <summary>What became of one delivery at the door.</summary>
public abstract record WebhookReceipt
{
    private WebhookReceipt()
    {
    }

    /// <summary>In the inbox (new, or a redelivery of an event stored before); trigger the job when new.</summary>
    public sealed record Stored(AcceptResult Result) : WebhookReceipt;

    public sealed record Dropped : WebhookReceipt;

    public sealed record Refused(WebhookReading Reading) : WebhookReceipt;

    /// <summary>No such gateway is configured here (or it takes no webhooks).</summary>
    public sealed record UnknownGateway : WebhookReceipt;
}

/// <summary>
/// Every webhook goes through here, whichever gateway and however it arrives (the HTTP route, or the demo checkout
/// signing its own event): the gateway verifies and reads it, and only an authentic event is stored in the inbox.
/// </summary>
public sealed class WebhookReceiver(IEnumerable<IPaymentGateway> gateways, WebhookInbox inbox)
{
    public async Task<WebhookReceipt> ReceiveAsync(string gatewayName, WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (gateways.Find(gatewayName) is not { } gateway)
        {
            return new WebhookReceipt.UnknownGateway();
        }

        return gateway.ReadWebhook(delivery) switch
        {
            WebhookReading.InboxEvent e => new WebhookReceipt.Stored(await inbox.AcceptAsync(gateway.Name, e.EventId, e.EventType, e.Payload, cancellationToken)),
            WebhookReading.NotForUs => new WebhookReceipt.Dropped(),
            WebhookReading.NoWebhooks => new WebhookReceipt.UnknownGateway(),
            var refused => new WebhookReceipt.Refused(refused),
        };
    }
}
