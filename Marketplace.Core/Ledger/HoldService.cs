using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Ledger;

public abstract record HoldResult
{
    private HoldResult()
    {
    }

    /// <summary>The hold is in the requested state; <paramref name="Replayed"/> when it already was.</summary>
    public sealed record Done(Hold Hold, bool Replayed) : HoldResult;

    public sealed record NotFound : HoldResult;

    public sealed record InsufficientFunds : HoldResult;

    /// <summary>The hold was already resolved the other way (settled vs released).</summary>
    public sealed record AlreadyResolved(HoldStatus Status) : HoldResult;

    public sealed record Invalid(string Reason) : HoldResult;
}

/// <summary>
/// Reserve, settle (fully or partly, the rest returned) and release. Each transition is guarded by
/// a conditional status update so it happens once however often it is asked for.
/// </summary>
public sealed class HoldService(MarketplaceDb db, LedgerService ledger, TimeProvider clock)
{
    public async Task<HoldResult> ReserveAsync(Guid holdId, Guid userId, long amountUnits, string reference, DateTime expiresAt, CancellationToken cancellationToken = default)
    {
        if (amountUnits <= 0)
        {
            return new HoldResult.Invalid("A hold must be positive.");
        }

        await using var scope = await LedgerScope.BeginAsync(db, cancellationToken);
        var existing = await db.Holds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == holdId, cancellationToken);
        if (existing is not null)
        {
            await scope.CompleteAsync(cancellationToken);
            return existing.UserId == userId && existing.AmountUnits == amountUnits
                ? new HoldResult.Done(existing, Replayed: true)
                : new HoldResult.Invalid("That hold id is taken by a different hold.");
        }

        var accounts = await ledger.UserAccountsAsync(userId, cancellationToken);
        var posted = await ledger.PostAsync(
            new Posting($"hold:{holdId:N}", TransactionKind.Hold, $"Hold for {reference}", [new(accounts.AvailableId, -amountUnits), new(accounts.HeldId, amountUnits)]),
            cancellationToken);
        if (posted is not PostingResult.Posted { Transaction: var transaction })
        {
            await scope.RollbackAsync(cancellationToken);
            return posted switch
            {
                PostingResult.InsufficientFunds => new HoldResult.InsufficientFunds(),
                PostingResult.LimitExceeded => new HoldResult.Invalid("The hold would take a balance past the ledger's limit."),
                _ => new HoldResult.Invalid("The hold's ledger key was reused."),
            };
        }

        var hold = Hold.Open(holdId, userId, amountUnits, reference, clock.GetUtcNow().UtcDateTime, expiresAt, transaction.Id);
        db.Holds.Add(hold);
        await db.SaveChangesAsync(cancellationToken);
        await scope.CompleteAsync(cancellationToken);
        return new HoldResult.Done(hold, Replayed: false);
    }

    /// <summary>Pays <paramref name="payouts"/> out of the hold and returns whatever they leave to the user's available balance.</summary>
    public Task<HoldResult> SettleAsync(Guid holdId, IReadOnlyList<PostingLine> payouts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payouts);
        if (payouts.Count == 0 || payouts.Any(p => p.AmountUnits <= 0))
        {
            return Task.FromResult<HoldResult>(new HoldResult.Invalid("A settlement pays positive amounts to at least one account."));
        }

        return ResolveAsync(holdId, HoldStatus.Settled, payouts, cancellationToken);
    }

    public Task<HoldResult> ReleaseAsync(Guid holdId, CancellationToken cancellationToken = default) =>
        ResolveAsync(holdId, HoldStatus.Released, [], cancellationToken);

    /// <summary>Releases every open hold whose expiry has passed; returns how many it released.</summary>
    public async Task<int> ReleaseExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Holds.Where(h => h.Status == HoldStatus.Open && h.ExpiresAt <= now).Select(h => h.Id).ToListAsync(cancellationToken);
        var released = 0;
        foreach (var id in due)
        {
            if (await ReleaseAsync(id, cancellationToken) is HoldResult.Done { Replayed: false })
            {
                released++;
            }
        }

        return released;
    }

    private async Task<HoldResult> ResolveAsync(Guid holdId, HoldStatus target, IReadOnlyList<PostingLine> payouts, CancellationToken cancellationToken)
    {
        await using var scope = await LedgerScope.BeginAsync(db, cancellationToken);
        var hold = await db.Holds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == holdId, cancellationToken);
        if (hold is null)
        {
            await scope.CompleteAsync(cancellationToken);
            return new HoldResult.NotFound();
        }

        if (hold.Status != HoldStatus.Open)
        {
            await scope.CompleteAsync(cancellationToken);
            return hold.Status == target ? new HoldResult.Done(hold, Replayed: true) : new HoldResult.AlreadyResolved(hold.Status);
        }

        long paidOut = 0;
        foreach (var payout in payouts)
        {
            paidOut = checked(paidOut + payout.AmountUnits);
        }

        if (paidOut > hold.AmountUnits)
        {
            await scope.CompleteAsync(cancellationToken);
            return new HoldResult.Invalid("A settlement cannot pay out more than the hold.");
        }

        // Claim the hold first: the conditional status change is what makes the transition happen once.
        var now = clock.GetUtcNow().UtcDateTime;
        var settled = target == HoldStatus.Settled ? paidOut : 0;
        var claimed = await db.Holds
            .Where(h => h.Id == holdId && h.Status == HoldStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, target).SetProperty(h => h.SettledUnits, settled).SetProperty(h => h.ResolvedAt, now), cancellationToken);
        if (claimed == 0)
        {
            await scope.RollbackAsync(cancellationToken);
            var winner = await db.Holds.AsNoTracking().SingleAsync(h => h.Id == holdId, cancellationToken);
            return winner.Status == target ? new HoldResult.Done(winner, Replayed: true) : new HoldResult.AlreadyResolved(winner.Status);
        }

        var accounts = await ledger.UserAccountsAsync(hold.UserId, cancellationToken);
        var lines = new List<PostingLine> { new(accounts.HeldId, -hold.AmountUnits) };
        lines.AddRange(payouts);
        var remainder = hold.AmountUnits - paidOut;
        if (remainder > 0)
        {
            lines.Add(new PostingLine(accounts.AvailableId, remainder));
        }

        var (key, kind, verb) = target == HoldStatus.Settled
            ? ($"hold-settle:{holdId:N}", TransactionKind.HoldSettlement, "Settled")
            : ($"hold-release:{holdId:N}", TransactionKind.HoldRelease, "Released");
        var posted = await ledger.PostAsync(new Posting(key, kind, $"{verb} hold for {hold.Reference}", MergeSameAccount(lines)), cancellationToken);
        if (posted is not PostingResult.Posted { Transaction: var transaction })
        {
            await scope.RollbackAsync(cancellationToken);
            return posted switch
            {
                PostingResult.InsufficientFunds => new HoldResult.InsufficientFunds(),
                PostingResult.LimitExceeded => new HoldResult.Invalid("The hold would take a balance past the ledger's limit."),
                _ => new HoldResult.Invalid("The hold's ledger key was reused."),
            };
        }

        await db.Holds.Where(h => h.Id == holdId)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.ResolutionTransactionId, transaction.Id), cancellationToken);
        await scope.CompleteAsync(cancellationToken);
        return new HoldResult.Done(await db.Holds.AsNoTracking().SingleAsync(h => h.Id == holdId, cancellationToken), Replayed: false);
    }

    // A payout to the buyer's own available account (an odd but legal settlement) merges with the remainder line.
    private static List<PostingLine> MergeSameAccount(List<PostingLine> lines) =>
        lines.GroupBy(l => l.AccountId).Select(g => new PostingLine(g.Key, g.Sum(l => l.AmountUnits))).Where(l => l.AmountUnits != 0).ToList();
}
