using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Payments.ClickPesa;

/// <summary>
/// Applies ClickPesa's PAYMENT RECEIVED / PAYMENT FAILED notifications. A webhook alone never grants credits:
/// the payment is looked up at ClickPesa's status endpoint first, and only a SUCCESS or SETTLED entry whose
/// collected amount and currency equal the payment's is credited (through <see cref="PaymentService"/>, once).
/// FAILED there fails the payment; still PROCESSING or PENDING is retried later; a paid entry with a different
/// amount or currency is parked for an admin. An order can be tried again after a failed attempt, so a payment marked
/// failed or expired is still looked up: money ClickPesa says it collected is credited (once) whatever came before.
/// </summary>
public sealed class ClickPesaWebhookHandler(MarketplaceDb db, ClickPesaClient client, PaymentService payments) : IWebhookEventHandler
{
    public string Gateway => ClickPesaGateway.GatewayName;

    public async Task<WebhookHandling> HandleAsync(WebhookInboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (ClickPesaNotification.TryParse(item.Payload) is not { IsPaymentEvent: true } notification)
        {
            return new WebhookHandling.Done(Note: "Not a payment event; nothing to apply.");
        }

        var payment = await db.Payments.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Gateway == ClickPesaGateway.GatewayName && p.ProviderReference == notification.OrderReference, cancellationToken);
        if (payment is null)
        {
            return new WebhookHandling.Park($"No ClickPesa payment has order reference {notification.OrderReference}.");
        }

        if (payment.Status is PaymentStatus.Succeeded or PaymentStatus.Cancelled or PaymentStatus.Refunded)
        {
            return new WebhookHandling.Done(payment.Id, $"The payment is already {WireName.Of(payment.Status)}.");
        }

        var queried = await client.QueryPaymentAsync(notification.OrderReference, cancellationToken);
        if (queried is ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Failed failed)
        {
            return new WebhookHandling.Retry($"ClickPesa status query failed ({failed.Status}): {failed.Message}", payment.Id);
        }

        var entries = ((ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Ok)queried).Value
            .Where(e => e.OrderReference is null || string.Equals(e.OrderReference, notification.OrderReference, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (entries.FirstOrDefault(e => e.IsPaid) is { } paid)
        {
            if (!Matches(paid, payment.Amount))
            {
                return new WebhookHandling.Park(
                    $"ClickPesa reports {paid.CollectedAmount} {paid.CollectedCurrency} collected, but the payment is for {payment.Amount.ToDisplayString()}; not credited.",
                    payment.Id);
            }

            await payments.CompleteAsync(payment.Id, PaymentOutcome.Succeeded, reason: null, CompletionDetails.MoneyCollected, cancellationToken);
            return new WebhookHandling.Done(payment.Id, $"Confirmed by ClickPesa ({paid.Status}).");
        }

        if (entries.Count > 0 && entries.All(e => e.IsFailed))
        {
            var message = entries[^1].Message;
            await payments.CompleteAsync(payment.Id, PaymentOutcome.Failed, string.IsNullOrWhiteSpace(message) ? "ClickPesa reports the payment failed." : $"ClickPesa: {message}", cancellationToken);
            return new WebhookHandling.Done(payment.Id, "ClickPesa reports the payment failed.");
        }

        if (payment.IsFinal && notification.EventType != ClickPesaNotification.PaymentReceived)
        {
            return new WebhookHandling.Done(payment.Id, $"The payment is already {WireName.Of(payment.Status)}.");
        }

        var state = entries.Count == 0 ? "no payment yet" : string.Join(", ", entries.Select(e => e.Status));
        return new WebhookHandling.Retry($"{notification.EventType} for {notification.OrderReference}, but ClickPesa's status is: {state}.", payment.Id);
    }

    /// <summary>The collected amount equals the payment's, in its currency ("25000.00" equals 25000 TZS).</summary>
    public static bool Matches(ClickPesaPaymentStatus entry, Money expected)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!string.Equals(entry.CollectedCurrency?.Trim(), expected.Currency.Code, StringComparison.OrdinalIgnoreCase) || entry.CollectedAmount is not { } text)
        {
            return false;
        }

        text = text.Trim();
        if (text.Contains('.', StringComparison.Ordinal))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return DecimalString.TryParseUnits(text, expected.Currency.Decimals, out var minor) == AmountParse.Ok && minor == expected.Minor;
    }
}
