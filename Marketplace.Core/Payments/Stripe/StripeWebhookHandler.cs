using System.Text.Json;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Payments.Stripe;

/// <summary>
/// Applies Stripe's Checkout events to their payment (found through <c>metadata.payment_id</c>, else
/// <c>client_reference_id</c>). Credits only for a paid session whose amount and currency are exactly the payment's;
/// a mismatch is parked for an admin. Order does not matter: PaymentService credits once, and a paid session
/// after an expiry still credits (the money was taken).
/// </summary>
public sealed class StripeWebhookHandler(MarketplaceDb db, PaymentService payments) : IWebhookEventHandler
{
    public const string Completed = "checkout.session.completed";
    public const string AsyncSucceeded = "checkout.session.async_payment_succeeded";
    public const string AsyncFailed = "checkout.session.async_payment_failed";
    public const string Expired = "checkout.session.expired";

    public string Gateway => StripeGateway.GatewayName;

    public async Task<WebhookHandling> HandleAsync(WebhookInboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.EventType is not (Completed or AsyncSucceeded or AsyncFailed or Expired))
        {
            return new WebhookHandling.Done(Note: $"{item.EventType} is not an event we act on.");
        }

        using var document = JsonDocument.Parse(item.Payload);
        if (!document.RootElement.TryGetProperty("data", out var data) || !data.TryGetProperty("object", out var session) || session.ValueKind != JsonValueKind.Object)
        {
            return new WebhookHandling.Park("The event has no data.object (not a checkout.session?).");
        }

        var reference = Metadata(session, "payment_id") ?? Text(session, "client_reference_id");
        if (!Guid.TryParse(reference, out var paymentId))
        {
            // Sessions this app did not create (another integration on the same account) are none of our business.
            return new WebhookHandling.Done(Note: "The session carries no payment id of ours.");
        }

        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is null || payment.Gateway != StripeGateway.GatewayName)
        {
            return new WebhookHandling.Park($"No Stripe payment {paymentId} here.", payment?.Id);
        }

        var sessionId = Text(session, "id");
        if (payment.ProviderReference is { } known && sessionId is not null && known != sessionId)
        {
            return new WebhookHandling.Park($"Session {sessionId} is not the payment's session {known}.", payment.Id);
        }

        switch (item.EventType)
        {
            case Completed when Text(session, "payment_status") is not ("paid" or "no_payment_required"):
                // A delayed method (bank debit): async_payment_succeeded or _failed follows.
                return new WebhookHandling.Done(payment.Id, "Completed but not paid yet; waiting for the async outcome.");
            case Completed or AsyncSucceeded:
                var amount = session.TryGetProperty("amount_total", out var total) && total.ValueKind == JsonValueKind.Number && total.TryGetInt64(out var units) ? units : (long?)null;
                var currency = Text(session, "currency");
                if (!StripeAmounts.Matches(payment, amount, currency))
                {
                    return new WebhookHandling.Park(
                        $"Paid {amount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} {currency?.ToUpperInvariant() ?? "?"} (Stripe minor units) but the payment is {payment.Amount.ToDisplayString()}; not credited.",
                        payment.Id);
                }

                return Applied(await payments.CompleteAsync(payment.Id, PaymentOutcome.Succeeded, cancellationToken: cancellationToken), payment.Id);
            case AsyncFailed:
                return Applied(await payments.CompleteAsync(payment.Id, PaymentOutcome.Failed, "The payment did not go through at Stripe.", cancellationToken), payment.Id);
            default:
                return Applied(await payments.CompleteAsync(payment.Id, PaymentOutcome.Expired, cancellationToken: cancellationToken), payment.Id);
        }
    }

    private static WebhookHandling Applied(CompletionResult result, Guid paymentId) => result switch
    {
        CompletionResult.Completed { AlreadyFinal: true, Payment.Status: var status } => new WebhookHandling.Done(paymentId, $"Payment was already {status}."),
        CompletionResult.Completed => new WebhookHandling.Done(paymentId),
        _ => new WebhookHandling.Park("The payment disappeared.", paymentId),
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Metadata(JsonElement session, string key) =>
        session.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? Text(metadata, key) : null;
}
