using Marketplace.Core.Admin;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Payments.BankTransfer;

public abstract record BankDecisionResult
{
    private BankDecisionResult()
    {
    }

    public sealed record Decided(Payment Payment, BankTransferDecision? Decision) : BankDecisionResult
    {
        /// <summary>What the admin said arrived (credits follow it); the amount asked for when there is no confirmation.</summary>
        public Money Received => Decision?.ReceivedMinor is { } minor ? new Money(minor, Payment.Amount.Currency) : Payment.Amount;
    }

    public sealed record NotFound : BankDecisionResult;

    public sealed record NotABankTransfer : BankDecisionResult;

    /// <summary>Confirmed before (by this admin or another): nothing was credited again.</summary>
    public sealed record AlreadyConfirmed(Payment Payment, BankTransferDecision? Decision) : BankDecisionResult
    {
        public Money Received => Decision?.ReceivedMinor is { } minor ? new Money(minor, Payment.Amount.Currency) : Payment.Amount;
    }

    public sealed record AlreadyRejected(Payment Payment, BankTransferDecision? Decision) : BankDecisionResult;

    /// <summary>Expired or cancelled: there is nothing left to decide.</summary>
    public sealed record Closed(Payment Payment, BankTransferDecision? Decision) : BankDecisionResult;

    public sealed record Invalid(string Code, string Field, string Message) : BankDecisionResult;
}

/// <summary>
/// What the admin looks for: transfers in <paramref name="Statuses"/>, optionally by reference (canonical form), by part of
/// the shopper's email, by amount (asked or received, in whichever currency the text reads as) and by the UTC day they
/// were started; one page of <paramref name="PageSize"/> at a time, so every transfer can be reached.
/// </summary>
public sealed record BankTransferSearch(
    IReadOnlyCollection<PaymentStatus> Statuses,
    string? Reference = null,
    string? UserEmail = null,
    string? Amount = null,
    DateOnly? From = null,
    DateOnly? To = null,
    int Page = 1,
    int PageSize = 25);

/// <summary>One page of a <see cref="BankTransferSearch"/>, with how many match in all.</summary>
public sealed record BankTransferPage(IReadOnlyList<BankTransferRow> Rows, int Page, int PageSize, int Total)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public bool HasNext => Page < PageCount;

    public bool HasPrevious => Page > 1;
}

/// <summary>One bank transfer as the admin dashboard lists it.</summary>
public sealed class BankTransferRow
{
    public Guid PaymentId { get; init; }

    public string Reference { get; init; } = string.Empty;

    public string UserEmail { get; init; } = string.Empty;

    public long AmountMinor { get; init; }

    public long? ReceivedMinor { get; init; }

    public string Currency { get; init; } = string.Empty;

    public long CreditsUnits { get; init; }

    public PaymentStatus Status { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? DecidedAt { get; init; }

    public string? DecidedByEmail { get; init; }

    /// <summary>The confirmation's note or the rejection's reason.</summary>
    public string? Note { get; init; }

    public Money Amount => new(AmountMinor, Core.Currency.Find(Currency));

    public Money? Received => ReceivedMinor is { } minor ? new Money(minor, Core.Currency.Find(Currency)) : null;

    public Credits Credits => new(CreditsUnits);
}

/// <summary>
/// An admin's decisions on bank transfers. Both go through <see cref="PaymentService"/>, the one place a payment
/// completes, and record who, when, the amounts and the note on the payment and in the audit log, in the same
/// transaction as the transition. A second confirmation is refused with <see cref="BankDecisionResult.AlreadyConfirmed"/>
/// and credits nothing (the API answers 409 <c>already_confirmed</c>), whether it comes later or concurrently.
/// </summary>
public sealed class BankTransferService(MarketplaceDb db, PaymentService payments, AuditLog audit, MarketplaceOptions options, TimeProvider clock, BankTransferMail? mail = null)
{
    public const int MaxNoteLength = BankTransferDecision.MaxNoteLength;
    public const int MaxReasonLength = 500;

    public async Task<BankDecisionResult> ConfirmAsync(Guid paymentId, string? receivedText, string? note, AdminActor admin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var (payment, refusal) = await OpenTransferAsync(paymentId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var currency = payment!.Amount.Currency;
        switch (Money.TryParse(receivedText, currency, out var received))
        {
            case AmountParse.Ok when received.Minor > 0:
                break;
            case AmountParse.TooPrecise:
                return new BankDecisionResult.Invalid("amount_too_precise", "received_amount", $"{currency.Code} amounts have at most {currency.Decimals} decimal places.");
            case AmountParse.Negative or AmountParse.Ok:
                return new BankDecisionResult.Invalid("amount_not_positive", "received_amount", "The received amount must be more than zero; reject the transfer if nothing arrived.");
            default:
                return new BankDecisionResult.Invalid("invalid_amount", "received_amount", $"The received amount must be a decimal number in {currency.Code}, such as {payment.Amount.ToDecimalString()}.");
        }

        var credits = options.CreditPrices.ToCredits(received);
        if (PaymentService.CheckCredits(credits, options.MaxAmount) is { } outOfBounds)
        {
            return new BankDecisionResult.Invalid(outOfBounds.Code, "received_amount", outOfBounds.Message);
        }

        note = note?.Trim() ?? string.Empty;
        if (note.Length > MaxNoteLength)
        {
            return new BankDecisionResult.Invalid("note_too_long", "note", $"The note can be at most {MaxNoteLength} characters.");
        }

        if (received != payment.Amount && note.Length == 0)
        {
            return new BankDecisionResult.Invalid("note_required", "note", $"{received.ToDisplayString()} differs from the {payment.Amount.ToDisplayString()} asked for: say why in the note.");
        }

        var recipient = mail is null ? null : await mail.RecipientAsync(payment.UserId, cancellationToken);
        BankTransferDecision? decision = null;
        var details = new CompletionDetails(received, open =>
        {
            // Runs only for the request whose transition wins, inside its transaction: the mail is queued with it, once.
            if (recipient is not null)
            {
                mail!.QueueConfirmed(open, received, recipient);
            }

            decision = BankTransferDecision.Confirmed(open.Id, received, admin.Id, note, clock.GetUtcNow().UtcDateTime);
            db.BankTransferDecisions.Add(decision);
            audit.Add(admin, "bank_transfer.confirm", Subject(open), note, new
            {
                reference = open.ProviderReference,
                requested_amount = open.Amount.ToDecimalString(),
                received_amount = received.ToDecimalString(),
                currency = currency.Code,
                credits = credits.ToDecimalString(),
            });
        });
        return await OutcomeAsync(await payments.CompleteAsync(paymentId, PaymentOutcome.Succeeded, reason: null, details, cancellationToken), decision, cancellationToken);
    }

    public async Task<BankDecisionResult> RejectAsync(Guid paymentId, string? reason, AdminActor admin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var (transfer, refusal) = await OpenTransferAsync(paymentId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        reason = reason?.Trim() ?? string.Empty;
        if (reason.Length == 0)
        {
            return new BankDecisionResult.Invalid("reason_required", "reason", "Say why the transfer is rejected; the shopper sees the reason.");
        }

        if (reason.Length > MaxReasonLength)
        {
            return new BankDecisionResult.Invalid("reason_too_long", "reason", $"The reason can be at most {MaxReasonLength} characters.");
        }

        var recipient = mail is null ? null : await mail.RecipientAsync(transfer!.UserId, cancellationToken);
        BankTransferDecision? decision = null;
        var details = new CompletionDetails(RecordWithIt: open =>
        {
            if (recipient is not null)
            {
                mail!.QueueRejected(open, reason, recipient);
            }

            decision = BankTransferDecision.Rejected(open.Id, admin.Id, reason, clock.GetUtcNow().UtcDateTime);
            db.BankTransferDecisions.Add(decision);
            audit.Add(admin, "bank_transfer.reject", Subject(open), reason, new
            {
                reference = open.ProviderReference,
                requested_amount = open.Amount.ToDecimalString(),
                currency = open.Currency,
            });
        });
        return await OutcomeAsync(await payments.CompleteAsync(paymentId, PaymentOutcome.Failed, reason, details, cancellationToken), decision, cancellationToken);
    }

    /// <summary>Bank transfers in <paramref name="statuses"/>, oldest first while open, newest decision first once decided.</summary>
    public async Task<IReadOnlyList<BankTransferRow>> ListAsync(IReadOnlyCollection<PaymentStatus> statuses, string? reference = null, int limit = 100, CancellationToken cancellationToken = default) =>
        (await SearchAsync(new BankTransferSearch(statuses, reference, PageSize: limit), cancellationToken)).Rows;

    /// <summary>One page of the transfers matching <paramref name="search"/>: oldest first while open, newest decision first once decided.</summary>
    public async Task<BankTransferPage> SearchAsync(BankTransferSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var statuses = search.Statuses;
        var query = db.Payments.AsNoTracking().Where(p => p.Gateway == BankTransferGateway.GatewayName && statuses.Contains(p.Status));
        if (search.Reference is { } reference)
        {
            query = query.Where(p => p.ProviderReference == reference);
        }

        if (!string.IsNullOrWhiteSpace(search.UserEmail))
        {
            var term = search.UserEmail.Trim().ToLowerInvariant();
            query = query.Where(p => db.Users.Any(u => u.Id == p.UserId && u.Email.Contains(term)));
        }

        if (!string.IsNullOrWhiteSpace(search.Amount))
        {
            // "1000" is 1,000.00 USD or EUR and 1,000 TZS alike; a text no currency reads matches nothing.
            var usd = MinorOrNone(search.Amount, Currency.Usd);
            var eur = MinorOrNone(search.Amount, Currency.Eur);
            var tzs = MinorOrNone(search.Amount, Currency.Tzs);
            query = query.Where(p =>
                (p.Currency == "USD" && (p.AmountMinor == usd || db.BankTransferDecisions.Any(d => d.PaymentId == p.Id && d.ReceivedMinor == usd)))
                || (p.Currency == "EUR" && (p.AmountMinor == eur || db.BankTransferDecisions.Any(d => d.PaymentId == p.Id && d.ReceivedMinor == eur)))
                || (p.Currency == "TZS" && (p.AmountMinor == tzs || db.BankTransferDecisions.Any(d => d.PaymentId == p.Id && d.ReceivedMinor == tzs))));
        }

        if (search.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(p => p.CreatedAt >= start);
        }

        if (search.To is { } to && to < DateOnly.MaxValue)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(p => p.CreatedAt < end);
        }

        var total = await query.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(search.PageSize, 1, 500);
        var page = Math.Clamp(search.Page, 1, Math.Max(1, (total + pageSize - 1) / pageSize));
        var open = statuses.All(s => s is PaymentStatus.Created or PaymentStatus.Pending);
        query = open ? query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id) : query.OrderByDescending(p => db.BankTransferDecisions.Where(d => d.PaymentId == p.Id).Select(d => (DateTime?)d.DecidedAt).FirstOrDefault() ?? p.UpdatedAt).ThenBy(p => p.Id);
        var rows = await query
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(p => new { p, d = db.BankTransferDecisions.FirstOrDefault(d => d.PaymentId == p.Id) })
            .Select(x => new BankTransferRow
            {
                PaymentId = x.p.Id,
                Reference = x.p.ProviderReference ?? string.Empty,
                UserEmail = db.Users.Where(u => u.Id == x.p.UserId).Select(u => u.Email).FirstOrDefault() ?? string.Empty,
                AmountMinor = x.p.AmountMinor,
                ReceivedMinor = x.d == null ? null : x.d.ReceivedMinor,
                Currency = x.p.Currency,
                CreditsUnits = x.p.CreditsUnits,
                Status = x.p.Status,
                CreatedAt = x.p.CreatedAt,
                DecidedAt = x.d == null ? null : x.d.DecidedAt,
                DecidedByEmail = x.d == null ? null : db.Users.Where(u => u.Id == x.d.DecidedById).Select(u => u.Email).FirstOrDefault(),
                Note = x.d == null ? null : x.d.Note,
            })
            .ToListAsync(cancellationToken);
        return new BankTransferPage(rows, page, pageSize, total);
    }

    // -1 never matches an amount: every stored amount is positive.
    private static long MinorOrNone(string text, Currency currency) =>
        Money.TryParse(text, currency, out var money) == AmountParse.Ok ? money.Minor : -1;

    private static string Subject(Payment payment) => $"payment:{payment.Id}";

    // Checked before any work; PaymentService checks the state again inside its transaction, which is what counts.
    private async Task<(Payment? Payment, BankDecisionResult? Refusal)> OpenTransferAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is null)
        {
            return (null, new BankDecisionResult.NotFound());
        }

        if (payment.Gateway != BankTransferGateway.GatewayName)
        {
            return (payment, new BankDecisionResult.NotABankTransfer());
        }

        return (payment, payment.IsFinal ? await FinalAsync(payment, cancellationToken) : null);
    }

    private async Task<BankDecisionResult> OutcomeAsync(CompletionResult result, BankTransferDecision? decision, CancellationToken cancellationToken) => result switch
    {
        CompletionResult.Completed { AlreadyFinal: false } done => Mailed(new BankDecisionResult.Decided(done.Payment, decision)),
        CompletionResult.Completed already => await FinalAsync(already.Payment, cancellationToken),
        CompletionResult.NotFound => new BankDecisionResult.NotFound(),
        _ => throw new InvalidOperationException($"Unexpected {result}."),
    };

    // Only the request whose transition won gets here: its mail was committed with the decision; send it now.
    private BankDecisionResult.Decided Mailed(BankDecisionResult.Decided decided)
    {
        mail?.SendSoon();
        return decided;
    }

    private async Task<BankDecisionResult> FinalAsync(Payment payment, CancellationToken cancellationToken)
    {
        var decision = await db.BankTransferDecisions.AsNoTracking().SingleOrDefaultAsync(d => d.PaymentId == payment.Id, cancellationToken);
        return payment.Status switch
        {
            PaymentStatus.Succeeded or PaymentStatus.Refunded => new BankDecisionResult.AlreadyConfirmed(payment, decision),
            PaymentStatus.Failed => new BankDecisionResult.AlreadyRejected(payment, decision),
            _ => new BankDecisionResult.Closed(payment, decision),
        };
    }
}
