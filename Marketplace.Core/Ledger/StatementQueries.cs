using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Ledger;

/// <summary>One movement of the available balance, with the balance right after it.</summary>
public sealed record StatementLine(long EntryId, DateTime CreatedAt, TransactionKind Kind, string Description, Credits Amount, Credits RunningBalance);

/// <summary>
/// A user's available balance over whole UTC days <see cref="From"/> to <see cref="To"/> (both inclusive):
/// <see cref="Closing"/> − <see cref="Opening"/> is the sum of the lines' amounts.
/// </summary>
public sealed record Statement(DateOnly From, DateOnly To, Credits Opening, Credits Closing, IReadOnlyList<StatementLine> Lines);

/// <summary>The available balance at the end of one UTC day.</summary>
public sealed record DailyBalance(DateOnly Day, Credits Closing);

/// <summary>Statements and balance-over-time, read from the entries of the user's available account.</summary>
public sealed class StatementQueries(MarketplaceDb db)
{
    /// <summary>The longest range one statement covers, so a request stays bounded.</summary>
    public const int MaxDays = 366;

    public async Task<Statement> ForRangeAsync(Guid userId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (to < from || to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(to), "A statement covers 1 to 366 days, from before to.");
        }

        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var accountId = await db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.UserAvailable).Select(a => (long?)a.Id).SingleOrDefaultAsync(cancellationToken);
        if (accountId is null)
        {
            return new Statement(from, to, Credits.Zero, Credits.Zero, []);
        }

        var entries = db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == accountId);
        // Entries are written in posting order, so the balance before the range is the one after the last earlier entry.
        var opening = await entries.Where(e => e.Transaction.CreatedAt < start)
            .OrderByDescending(e => e.Id).Select(e => (long?)e.BalanceAfter).FirstOrDefaultAsync(cancellationToken) ?? 0;
        var rows = await entries.Where(e => e.Transaction.CreatedAt >= start && e.Transaction.CreatedAt < end)
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.Transaction.CreatedAt, e.Transaction.Kind, e.Transaction.Description, e.Amount, e.BalanceAfter })
            .ToListAsync(cancellationToken);
        var lines = rows.Select(r => new StatementLine(r.Id, r.CreatedAt, r.Kind, r.Description, new Credits(r.Amount), new Credits(r.BalanceAfter))).ToList();
        return new Statement(from, to, new Credits(opening), lines.Count == 0 ? new Credits(opening) : lines[^1].RunningBalance, lines);
    }

    /// <summary>The balance before <paramref name="from"/> (as the first point, dated the day before) and at the end of each day up to <paramref name="to"/>.</summary>
    /// <remarks>
    /// The wallet page draws this on every view, so it reads only what the chart needs (time, amount and balance after,
    /// no descriptions), the account found inside the query rather than by a query of its own. The opening balance is
    /// the first entry's balance before it (balance after minus amount), so only a range with no entries needs a
    /// second query for it.
    /// </remarks>
    public async Task<IReadOnlyList<DailyBalance>> DailyClosingAsync(Guid userId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (to < from || to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(to), "A chart covers 1 to 366 days, from before to.");
        }

        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var lines = new List<ChartRow>();
        await foreach (var line in ChartLines.For(db)(db, userId, start, end).WithCancellation(cancellationToken))
        {
            lines.Add(line);
        }

        var opening = lines.Count > 0
            ? lines[0].BalanceAfter - lines[0].Amount
            : await BalanceBefore.For(db)(db, userId, start, cancellationToken) ?? 0;

        var points = new List<DailyBalance>(to.DayNumber - from.DayNumber + 2) { new(from.AddDays(-1), new Credits(opening)) };
        var balance = opening;
        var next = 0;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var dayEnd = day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            while (next < lines.Count && lines[next].CreatedAt < dayEnd)
            {
                balance = lines[next].BalanceAfter;
                next++;
            }

            points.Add(new DailyBalance(day, new Credits(balance)));
        }

        return points;
    }

    private sealed record ChartRow(DateTime CreatedAt, long Amount, long BalanceAfter);

    // The entries of the user's available account: the account id is an uncorrelated scalar subquery, which SQLite and
    // PostgreSQL evaluate once and then seek the (AccountId, Id) index with. Compiled (the shape is fixed): EF's per-call expression work was a visible share of the wallet page (issue 16).
    private static readonly CompiledPerModel<Func<MarketplaceDb, Guid, DateTime, DateTime, IAsyncEnumerable<ChartRow>>> ChartLines = new(() => EF.CompileAsyncQuery(
        (MarketplaceDb db, Guid userId, DateTime start, DateTime end) => db.LedgerEntries.AsNoTracking()
            .Where(e => e.AccountId == db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.UserAvailable).Select(a => a.Id).FirstOrDefault())
            .Where(e => e.Transaction.CreatedAt >= start && e.Transaction.CreatedAt < end)
            .OrderBy(e => e.Id)
            .Select(e => new ChartRow(e.Transaction.CreatedAt, e.Amount, e.BalanceAfter))));

    private static readonly CompiledPerModel<Func<MarketplaceDb, Guid, DateTime, CancellationToken, Task<long?>>> BalanceBefore = new(() => EF.CompileAsyncQuery(
        (MarketplaceDb db, Guid userId, DateTime start, CancellationToken cancellationToken) => db.LedgerEntries
            .Where(e => e.AccountId == db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.UserAvailable).Select(a => a.Id).FirstOrDefault())
            .Where(e => e.Transaction.CreatedAt < start)
            .OrderByDescending(e => e.Id).Select(e => (long?)e.BalanceAfter).FirstOrDefault()));
}
