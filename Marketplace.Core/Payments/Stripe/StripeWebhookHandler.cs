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
        // Signed by Stripe, yet no retry will change a field's type: a wrong one is an admin's question, not a retry.
        if (!StripeSessionEvent.TryRead(document.RootElement, out var session, out var problem))
        {
            return new WebhookHandling.Park(problem);
        }

        var reference = session.MetadataPaymentId ?? session.ClientReferenceId;
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

        var sessionId = session.Id;
        if (payment.ProviderReference is { } known && sessionId is not null && known != sessionId)
        {
            return new WebhookHandling.Park($"Session {sessionId} is not the payment's session {known}.", payment.Id);
        }

        switch (item.EventType)
        {
            case Completed when session.PaymentStatus is not ("paid" or "no_payment_required"):
                // A delayed method (bank debit): async_payment_succeeded or _failed follows.
                return new WebhookHandling.Done(payment.Id, "Completed but not paid yet; waiting for the async outcome.");
            case Completed or AsyncSucceeded:
                var amount = session.AmountTotal;
                var currency = session.Currency;
                if (!StripeAmounts.Matches(payment, amount, currency))
                {
                    return new WebhookHandling.Park(
                        $"Paid {amount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} {currency?.ToUpperInvariant() ?? "?"} (Stripe minor units) but the payment is {payment.Amount.ToDisplayString()}; not credited.",
                        payment.Id);
                }

                return Applied(await payments.CompleteAsync(payment.Id, PaymentOutcome.Succeeded, reason: null, CompletionDetails.MoneyCollected, cancellationToken), payment.Id);
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
}

/// <summary>
/// The fields of a Checkout Session event we act on, read strictly: each may be absent or null, but one that is
/// present must have its documented JSON type, or the whole event is refused with the field named.
/// </summary>
public sealed record StripeSessionEvent(string? Id, string? MetadataPaymentId, string? ClientReferenceId, string? PaymentStatus, long? AmountTotal, string? Currency)
{
    public static bool TryRead(JsonElement root, out StripeSessionEvent session, out string problem)
    {
        session = new StripeSessionEvent(null, null, null, null, null, null);
        problem = string.Empty;
        if (!Member(root, "data", JsonValueKind.Object, "data", ref problem, out var data) || data is not { } dataObject)
        {
            problem = problem.Length > 0 ? problem : "The event has no data.object (not a checkout.session?).";
            return false;
        }

        if (!Member(dataObject, "object", JsonValueKind.Object, "data.object", ref problem, out var found) || found is not { } obj)
        {
            problem = problem.Length > 0 ? problem : "The event has no data.object (not a checkout.session?).";
            return false;
        }

        string? metadataPaymentId = null;
        if (!Member(obj, "metadata", JsonValueKind.Object, "data.object.metadata", ref problem, out var metadata)
            || (metadata is { } m && !Text(m, "payment_id", "data.object.metadata.payment_id", ref problem, out metadataPaymentId))
            || !Text(obj, "id", "data.object.id", ref problem, out var id)
            || !Text(obj, "client_reference_id", "data.object.client_reference_id", ref problem, out var clientReference)
            || !Text(obj, "payment_status", "data.object.payment_status", ref problem, out var paymentStatus)
            || !Text(obj, "currency", "data.object.currency", ref problem, out var currency)
            || !Member(obj, "amount_total", JsonValueKind.Number, "data.object.amount_total", ref problem, out var total))
        {
            return false;
        }

        long? amount = null;
        if (total is { } number)
        {
            if (!number.TryGetInt64(out var units))
            {
                problem = "Field data.object.amount_total is not a whole number of minor units; not applied.";
                return false;
            }

            amount = units;
        }

        session = new StripeSessionEvent(id, metadataPaymentId, clientReference, paymentStatus, amount, currency);
        return true;
    }

    private static bool Text(JsonElement parent, string name, string path, ref string problem, out string? text)
    {
        text = null;
        if (!Member(parent, name, JsonValueKind.String, path, ref problem, out var value))
        {
            return false;
        }

        text = value?.GetString();
        return true;
    }

    // Absent and null read as "not there"; any other kind than the expected one is the problem.
    private static bool Member(JsonElement parent, string name, JsonValueKind kind, string path, ref string problem, out JsonElement? value)
    {
        value = null;
        if (!parent.TryGetProperty(name, out var found) || found.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (found.ValueKind != kind)
        {
            problem = $"Field {path} is {found.ValueKind.ToString().ToLowerInvariant()}, expected {kind.ToString().ToLowerInvariant()}; not applied.";
            return false;
        }

        value = found;
        return true;
    }
}
