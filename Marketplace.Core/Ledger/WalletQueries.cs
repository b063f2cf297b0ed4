using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Ledger;

public sealed record WalletBalance(Credits Available, Credits Held);

/// <summary>One line of a user's history: a ledger transaction as it touched their available balance.</summary>
public sealed record WalletHistoryItem(long EntryId, long TransactionId, TransactionKind Kind, string Description, Credits Amount, Credits BalanceAfter, DateTime CreatedAt);

public sealed record WalletHistoryPage(IReadOnlyList<WalletHistoryItem> Items, long? NextCursor);

/// <summary>Reads of a wallet: stored balances (O(1)) and history newest first, paged by entry id.</summary>
public sealed class WalletQueries(MarketplaceDb db)
{
    public const int MaxPageSize = 100;

    // Compiled: these run for every balance poll and page header, and EF's per-call work to find a cached plan
    // (walking the expression, extracting parameters) was a visible share of such a request (bench/README.md, issue 16).
    private static readonly CompiledPerModel<Func<MarketplaceDb, Guid, IAsyncEnumerable<BalanceRow>>> Balances = new(() => EF.CompileAsyncQuery(
        (MarketplaceDb db, Guid userId) => db.Accounts.AsNoTracking().Where(a => a.OwnerId == userId).Select(a => new BalanceRow(a.Kind, a.Balance))));

    private static readonly CompiledPerModel<Func<MarketplaceDb, Guid, CancellationToken, Task<long>>> Available = new(() => EF.CompileAsyncQuery(
        (MarketplaceDb db, Guid userId, CancellationToken cancellationToken) =>
            db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.UserAvailable).Select(a => a.Balance).SingleOrDefault()));

    public async Task<WalletBalance> BalanceAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        long available = 0, held = 0;
        await foreach (var row in Balances.For(db)(db, userId).WithCancellation(cancellationToken))
        {
            if (row.Kind == AccountKind.UserAvailable)
            {
                available += row.Balance;
            }
            else if (row.Kind == AccountKind.UserHeld)
            {
                held += row.Balance;
            }
        }

        return new WalletBalance(new Credits(available), new Credits(held));
    }

    /// <summary>The available balance alone, as the site header shows it.</summary>
    public async Task<Credits> AvailableAsync(Guid userId, CancellationToken cancellationToken = default) =>
        new(await Available.For(db)(db, userId, cancellationToken));

    private sealed record BalanceRow(AccountKind Kind, long Balance);

    /// <summary>Entries on the user's available account with id below <paramref name="before"/>, newest first.</summary>
    public async Task<WalletHistoryPage> HistoryAsync(Guid userId, int limit, long? before, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        // The account id as an uncorrelated subquery (evaluated once, then the (AccountId, Id) index): one query, not two.
        var query = db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == db.Accounts
            .Where(a => a.OwnerId == userId && a.Kind == AccountKind.UserAvailable).Select(a => a.Id).FirstOrDefault());
        if (before is { } cursor)
        {
            query = query.Where(e => e.Id < cursor);
        }

        var rows = await query
            .OrderByDescending(e => e.Id)
            .Take(limit + 1)
            .Select(e => new { e.Id, e.TransactionId, e.Transaction.Kind, e.Transaction.Description, e.Amount, e.BalanceAfter, e.Transaction.CreatedAt })
            .ToListAsync(cancellationToken);
        var items = rows.Take(limit)
            .Select(r => new WalletHistoryItem(r.Id, r.TransactionId, r.Kind, r.Description, new Credits(r.Amount), new Credits(r.BalanceAfter), r.CreatedAt))
            .ToList();
        return new WalletHistoryPage(items, rows.Count > limit ? items[^1].EntryId : null);
    }
}
