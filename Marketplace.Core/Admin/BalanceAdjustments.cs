using System.Text.Json;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Admin;

public abstract record AdjustmentResult
{
    private AdjustmentResult()
    {
    }

    /// <summary>Posted now, or <paramref name="Replayed"/>: the same form or request was submitted before and this is its outcome.</summary>
    public sealed record Adjusted(long TransactionId, Credits Amount, Credits AvailableAfter, bool Replayed) : AdjustmentResult;

    public sealed record UserNotFound : AdjustmentResult;

    /// <summary>The debit would take the user's available balance below zero; nothing changed.</summary>
    public sealed record WouldGoNegative(Credits Available) : AdjustmentResult;

    /// <summary>The idempotency key was already used for a different adjustment (another amount or another user).</summary>
    public sealed record KeyReused : AdjustmentResult;

    public sealed record Invalid(string Code, string Field, string Message) : AdjustmentResult;
}

/// <summary>
/// An admin's correction of a user's available balance: a double-entry posting against
/// <c>platform:adjustments</c> (kind AdminAdjustment) and its audit entry, in one transaction. The ledger's
/// conditional update is what refuses a debit the user cannot cover; the caller's idempotency key makes a
/// resubmitted form or retried request change nothing.
/// </summary>
public sealed class BalanceAdjustments(MarketplaceDb db, LedgerService ledger, AuditLog audit, MarketplaceOptions options)
{
    public const int MaxReasonLength = 1000;
    public const int MaxKeyLength = 100;
    public const string AuditAction = "balance.adjust";

    public async Task<AdjustmentResult> AdjustAsync(AdminActor admin, Guid userId, string? amountText, string? reason, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (Validate(amountText, reason, idempotencyKey, out var amount) is { } invalid)
        {
            return invalid;
        }

        if (options.Exceeds(amount))
        {
            return new AdjustmentResult.Invalid("amount_too_large", "amount", $"One adjustment moves at most {options.MaxAmount.ToDisplayString()}; split a larger correction and give each its reason.");
        }

        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            return new AdjustmentResult.UserNotFound();
        }

        reason = reason!.Trim();
        var user = await ledger.UserAccountsAsync(userId, cancellationToken);
        var adjustments = await ledger.AccountIdAsync(AccountCodes.Adjustments, cancellationToken);
        var posting = new Posting(
            $"adjust:{idempotencyKey}",
            TransactionKind.AdminAdjustment,
            "Balance adjustment",
            [new(user.AvailableId, amount.Units), new(adjustments, -amount.Units)],
            JsonSerializer.Serialize(new { reason, admin = admin.Email }));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var posted = await ledger.PostAsync(posting, cancellationToken);
        switch (posted)
        {
            case PostingResult.InsufficientFunds:
                await transaction.RollbackAsync(cancellationToken);
                var available = await db.Accounts.Where(a => a.Id == user.AvailableId).Select(a => a.Balance).SingleAsync(cancellationToken);
                return new AdjustmentResult.WouldGoNegative(new Credits(available));
            case PostingResult.KeyConflict:
                await transaction.RollbackAsync(cancellationToken);
                return new AdjustmentResult.KeyReused();
            case PostingResult.LimitExceeded:
                await transaction.RollbackAsync(cancellationToken);
                return new AdjustmentResult.Invalid("amount_too_large", "amount", "This adjustment would take a balance past the largest the ledger holds.");
            case PostingResult.Posted { Transaction: var done, Replayed: var replayed }:
                var after = new Credits(done.Entries.Single(e => e.AccountId == user.AvailableId).BalanceAfter);
                if (!replayed)
                {
                    audit.Add(admin, AuditAction, $"user:{userId}", reason, new
                    {
                        amount = amount.ToDecimalString(),
                        available_after = after.ToDecimalString(),
                        transaction_id = done.Id,
                        idempotency_key = idempotencyKey,
                    });
                    await db.SaveChangesAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return new AdjustmentResult.Adjusted(done.Id, amount, after, replayed);
            default:
                throw new InvalidOperationException($"Unexpected posting result {posted}.");
        }
    }

    /// <summary>"12.50", "+12.50" credit the user; "-12.50" debits them. Zero is not an adjustment.</summary>
    public static AmountParse TryParseSigned(string? text, out Credits amount)
    {
        amount = Credits.Zero;
        var trimmed = text?.Trim() ?? string.Empty;
        var negative = trimmed.StartsWith('-');
        var magnitude = negative || trimmed.StartsWith('+') ? trimmed[1..] : trimmed;
        // DecimalString refuses signs itself, so a second sign ("--5") stays malformed.
        var parsed = Credits.TryParse(magnitude, out var units);
        if (parsed == AmountParse.Negative)
        {
            return AmountParse.Malformed;
        }

        amount = negative ? -units : units;
        return parsed;
    }

    private static AdjustmentResult.Invalid? Validate(string? amountText, string? reason, string? key, out Credits amount)
    {
        var parsed = TryParseSigned(amountText, out amount);
        if (parsed != AmountParse.Ok || amount.Units == 0)
        {
            return new AdjustmentResult.Invalid(
                parsed == AmountParse.TooPrecise ? "amount_too_precise" : parsed == AmountParse.TooLarge ? "amount_too_large" : "invalid_amount",
                "amount",
                "Enter a non-zero amount in MC with at most two decimals, e.g. 25.00 to credit or -25.00 to debit.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return new AdjustmentResult.Invalid("reason_required", "reason", "Give the reason for the adjustment; it is kept in the audit log.");
        }

        if (reason.Trim().Length > MaxReasonLength)
        {
            return new AdjustmentResult.Invalid("reason_too_long", "reason", $"The reason is at most {MaxReasonLength} characters.");
        }

        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return new AdjustmentResult.Invalid("invalid_idempotency_key", "idempotency_key", $"Send a unique key of up to {MaxKeyLength} letters, digits, '-' or '_' with each adjustment.");
        }

        return null;
    }
}
