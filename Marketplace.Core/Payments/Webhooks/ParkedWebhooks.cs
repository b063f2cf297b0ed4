using Marketplace.Core.Admin;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Payments.Webhooks;

public abstract record CreditAnywayResult
{
    private CreditAnywayResult()
    {
    }

    /// <summary>The payment is credited now and the row is done.</summary>
    public sealed record Credited(Payment Payment) : CreditAnywayResult;

    /// <summary>The payment was credited before (another event, an earlier click); nothing was credited again, and the row is done.</summary>
    public sealed record AlreadyCredited(Payment Payment) : CreditAnywayResult;

    public sealed record NotFound : CreditAnywayResult;

    /// <summary>Only parked rows that name their payment can be credited by hand.</summary>
    public sealed record NotParked(WebhookStatus Status) : CreditAnywayResult;

    public sealed record NoPayment : CreditAnywayResult;

    /// <summary>The event reports money going back (a refund): there is nothing to credit for it.</summary>
    public sealed record NotACollection : CreditAnywayResult;

    /// <summary>Cancelled or refunded: crediting it now would be a new decision, not this event's.</summary>
    public sealed record PaymentClosed(Payment Payment) : CreditAnywayResult;

    public sealed record Invalid(string Code, string Message) : CreditAnywayResult;
}

/// <summary>
/// An admin's "Credit anyway" for a parked webhook (verified, but not applied as is, e.g. an amount that differs): the
/// payment is credited through <see cref="PaymentService.CompleteAsync(Guid, PaymentOutcome, string?, CompletionDetails, CancellationToken)"/>,
/// the one completion path, and in the same transaction the row is finished and the decision audited with its reason.
/// </summary>
public sealed class ParkedWebhooks(MarketplaceDb db, PaymentService payments, AuditLog audit, TimeProvider clock, IEnumerable<IPaymentGateway> gateways)
{
    public const int MaxReasonLength = 1000;
    public const string AuditAction = "webhook.credit_anyway";

    public async Task<CreditAnywayResult> CreditAnywayAsync(long id, AdminActor admin, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        reason = reason?.Trim() ?? string.Empty;
        if (reason.Length == 0)
        {
            return new CreditAnywayResult.Invalid("reason_required", "Say why the payment is credited although the event was parked; it is kept in the audit log.");
        }

        if (reason.Length > MaxReasonLength)
        {
            return new CreditAnywayResult.Invalid("reason_too_long", $"The reason is at most {MaxReasonLength} characters.");
        }

        var item = await db.WebhookInbox.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (item is null)
        {
            return new CreditAnywayResult.NotFound();
        }

        if (item.Status != WebhookStatus.Parked)
        {
            return new CreditAnywayResult.NotParked(item.Status);
        }

        if (item.PaymentId is not { } paymentId)
        {
            return new CreditAnywayResult.NoPayment();
        }

        // A refund parked for an admin is money that went back: there is nothing to credit for it.
        if (gateways.Find(item.Gateway)?.ReadEvent(item) is PaymentEvent.About { News: PaymentNews.Refunded })
        {
            return new CreditAnywayResult.NotACollection();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var details = new CompletionDetails(
            RecordWithIt: open =>
            {
                item.ResolveByAdmin(now);
                audit.Add(admin, AuditAction, $"webhook:{id}", reason, new
                {
                    payment_id = open.Id,
                    gateway = item.Gateway,
                    event_id = item.EventId,
                    parked_because = item.LastError,
                    credits = open.Credits.ToDecimalString(),
                    amount = open.Amount.ToDecimalString(),
                    currency = open.Currency,
                });
            },
            Collected: true);
        var completed = await payments.CompleteAsync(paymentId, PaymentOutcome.Succeeded, reason: null, details, cancellationToken);
        switch (completed)
        {
            case CompletionResult.Completed { AlreadyFinal: false, Payment: var payment }:
                return new CreditAnywayResult.Credited(payment);
            case CompletionResult.Completed { Payment: { Status: PaymentStatus.Succeeded } payment }:
                // Credited meanwhile: the event has nothing left to wait for.
                item.ResolveByAdmin(now);
                audit.Add(admin, AuditAction, $"webhook:{id}", reason, new { payment_id = payment.Id, already_credited = true });
                await db.SaveChangesAsync(cancellationToken);
                return new CreditAnywayResult.AlreadyCredited(payment);
            case CompletionResult.Completed { Payment: var payment }:
                return new CreditAnywayResult.PaymentClosed(payment);
            default:
                return new CreditAnywayResult.NoPayment();
        }
    }
}
