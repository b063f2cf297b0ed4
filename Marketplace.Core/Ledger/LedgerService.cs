using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Ledger;

/// <summary>
/// The only writer of balances. Each posting is one atomic step: every debit is a conditional
/// update that refuses to take a user account below zero, so concurrent spends cannot both pass
/// a check only one of them can afford.
/// </summary>
public sealed class LedgerService(MarketplaceDb db, TimeProvider clock)
{
    public async Task<PostingResult> PostAsync(Posting posting, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(posting);
        posting.Validate();
        var contentHash = posting.ContentHash();

        await using var scope = await LedgerScope.BeginAsync(db, cancellationToken);
        var earlier = await FindAsync(posting.IdempotencyKey, cancellationToken);
        if (earlier is not null)
        {
            await scope.CompleteAsync(cancellationToken);
            return Replay(earlier, contentHash);
        }

        var transaction = LedgerTransaction.Create(posting, contentHash, clock.GetUtcNow().UtcDateTime);
        // A fixed account order keeps concurrent postings from deadlocking on PostgreSQL row locks.
        foreach (var line in posting.Lines.OrderBy(l => l.AccountId))
        {
            var delta = line.AmountUnits;
            // The bounds are written so nothing in them overflows: |delta| <= MaxLineUnits, far below the limit's headroom.
            var ceiling = Account.MaxBalanceUnits - delta;
            var floor = -Account.MaxBalanceUnits - delta;
            var updated = await db.Accounts
                .Where(a => a.Id == line.AccountId && (a.AllowNegative || a.Balance + delta >= 0) && a.Balance <= ceiling && a.Balance >= floor)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, a => a.Balance + delta), cancellationToken);
            if (updated == 0)
            {
                var account = await db.Accounts.Where(a => a.Id == line.AccountId).Select(a => new { a.Balance, a.AllowNegative }).SingleOrDefaultAsync(cancellationToken);
                await scope.RollbackAsync(cancellationToken);
                return account is null
                    ? throw new InvalidOperationException($"Posting '{posting.IdempotencyKey}' names account {line.AccountId}, which does not exist.")
                    : account.Balance <= ceiling && account.Balance >= floor
                        ? new PostingResult.InsufficientFunds(line.AccountId)
                        : new PostingResult.LimitExceeded(line.AccountId);
            }

            var balanceAfter = await db.Accounts.Where(a => a.Id == line.AccountId).Select(a => a.Balance).SingleAsync(cancellationToken);
            transaction.AddEntry(line.AccountId, delta, balanceAfter);
        }

        db.LedgerTransactions.Add(transaction);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseProvider.IsUniqueViolation(ex))
        {
            // A concurrent writer recorded the same key first (possible on PostgreSQL, whose
            // transactions do not serialise writers the way SQLite's BEGIN IMMEDIATE does).
            await scope.RollbackAsync(cancellationToken);
            var winner = await FindAsync(posting.IdempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException("Unique violation without a conflicting transaction.", ex);
            return Replay(winner, contentHash);
        }

        await LedgerChain.LinkAsync(db, transaction, cancellationToken);
        await LedgerTree.AppendAsync(db, [transaction], cancellationToken);
        await scope.CompleteAsync(cancellationToken);
        return new PostingResult.Posted(transaction, Replayed: false);
    }

    public Task<long> AccountIdAsync(string code, CancellationToken cancellationToken = default) =>
        db.Accounts.Where(a => a.Code == code).Select(a => a.Id).SingleAsync(cancellationToken);

    public async Task<UserAccounts> UserAccountsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var accounts = await db.Accounts
            .Where(a => a.OwnerId == userId)
            .Select(a => new { a.Id, a.Kind })
            .ToListAsync(cancellationToken);
        var available = accounts.Single(a => a.Kind == AccountKind.UserAvailable).Id;
        var held = accounts.Single(a => a.Kind == AccountKind.UserHeld).Id;
        return new UserAccounts(available, held);
    }

    /// <summary>Adds the user's available and held accounts to the context; the caller's SaveChanges persists them.</summary>
    public void OpenUserAccounts(Guid userId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        db.Accounts.Add(Account.ForUser(userId, AccountKind.UserAvailable, now));
        db.Accounts.Add(Account.ForUser(userId, AccountKind.UserHeld, now));
    }

    private Task<LedgerTransaction?> FindAsync(string key, CancellationToken cancellationToken) =>
        db.LedgerTransactions.AsNoTracking().Include(t => t.Entries).SingleOrDefaultAsync(t => t.IdempotencyKey == key, cancellationToken);

    private static PostingResult Replay(LedgerTransaction earlier, string contentHash) =>
        earlier.ContentHash == contentHash
            ? new PostingResult.Posted(earlier, Replayed: true)
            : new PostingResult.KeyConflict(earlier.IdempotencyKey);
}

public readonly record struct UserAccounts(long AvailableId, long HeldId);
