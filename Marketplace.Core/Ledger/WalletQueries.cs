using Marketplace.Core.Orders;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Ledger;

public sealed record WalletBalance(Credits Available, Credits Held);

/// <summary>One line of a user's history: a ledger transaction as it touched their available balance.</summary>
public sealed record WalletHistoryItem(long EntryId, long TransactionId, TransactionKind Kind, string Description, Credits Amount, Credits BalanceAfter, DateTime CreatedAt);

public sealed record WalletHistoryPage(IReadOnlyList<WalletHistoryItem> Items, long? NextCursor);

/// <summary>A history line with the user's own order for its transaction (a purchase, hold or transfer they sent), if any.</summary>
public sealed record WalletHistoryLine(WalletHistoryItem Item, Guid? OrderId, OrderStatus? OrderStatus);

public sealed record WalletHistoryLinesPage(IReadOnlyList<WalletHistoryLine> Lines, long? NextCursor);

/// <summary>What the wallet page shows above its lists: the balance and what the account still lacks (null user: none).</summary>
public sealed record WalletSummary(WalletBalance Balance, string Email, bool EmailVerified, bool HasRecoveryKey);

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

    // The wallet page's history with each line's order in one query: a left join on orders' LedgerTransactionId (indexed
    // since 20261201180000), so a page costs one query instead of two (bench/README.md, issue 16, third pass).
    private static readonly CompiledPerModel<Func<MarketplaceDb, Guid, long, int, IAsyncEnumerable<HistoryLineRow>>> HistoryLines = new(() => EF.CompileAsyncQuery(
        (MarketplaceDb db, Guid userId, long before, int take) =>
            (from e in db.LedgerEntries.AsNoTracking()
             where e.AccountId == db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.UserAvailable).Select(a => a.Id).FirstOrDefault()
                 && e.Id < before
             join o in db.Orders.Where(o => o.BuyerId == userId) on e.TransactionId equals o.LedgerTransactionId into orders
             from o in orders.DefaultIfEmpty()
             orderby e.Id descending
             select new HistoryLineRow(e.Id, e.TransactionId, e.Transaction.Kind, e.Transaction.Description, e.Amount, e.BalanceAfter, e.Transaction.CreatedAt,
                 o == null ? (Guid?)null : o.Id, o == null ? (OrderStatus?)null : o.Status))
            .Take(take)));

    // The user row with both balances as scalar subqueries: the wallet page's balance and banners in one read.
    private static readonly CompiledPerModel<Func<MarketplaceDb, Guid, IAsyncEnumerable<SummaryRow>>> Summaries = new(() => EF.CompileAsyncQuery(
        (MarketplaceDb db, Guid userId) => db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new SummaryRow(
            u.Email,
            u.EmailVerifiedAt != null,
            u.RecoveryPublicKey != null,
            db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.UserAvailable).Sum(a => a.Balance),
            db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.UserHeld).Sum(a => a.Balance)))));

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

    private sealed record HistoryLineRow(long Id, long TransactionId, TransactionKind Kind, string Description, long Amount, long BalanceAfter, DateTime CreatedAt, Guid? OrderId, OrderStatus? OrderStatus);

    private sealed record SummaryRow(string Email, bool EmailVerified, bool HasRecoveryKey, long Available, long Held);

    /// <summary>
    /// The balance and the account's state in one query; null for an unknown user. Balances as <see cref="BalanceAsync"/>
    /// reads them (a user without accounts yet has zero).
    /// </summary>
    public async Task<WalletSummary?> SummaryAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await foreach (var row in Summaries.For(db)(db, userId).WithCancellation(cancellationToken))
        {
            return new WalletSummary(new WalletBalance(new Credits(row.Available), new Credits(row.Held)), row.Email, row.EmailVerified, row.HasRecoveryKey);
        }

        return null;
    }

    /// <summary>
    /// <see cref="HistoryAsync"/> with each line's order where the user is its buyer, as the wallet page links them.
    /// </summary>
    public async Task<WalletHistoryLinesPage> HistoryWithOrdersAsync(Guid userId, int limit, long? before, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var lines = new List<WalletHistoryLine>(limit + 1);
        await foreach (var r in HistoryLines.For(db)(db, userId, before ?? long.MaxValue, limit + 1).WithCancellation(cancellationToken))
        {
            lines.Add(new WalletHistoryLine(
                new WalletHistoryItem(r.Id, r.TransactionId, r.Kind, r.Description, new Credits(r.Amount), new Credits(r.BalanceAfter), r.CreatedAt), r.OrderId, r.OrderStatus));
        }

        long? next = null;
        if (lines.Count > limit)
        {
            lines.RemoveAt(limit);
            next = lines[^1].Item.EntryId;
        }

        return new WalletHistoryLinesPage(lines, next);
    }

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
