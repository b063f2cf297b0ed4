using System.Reflection;
using Marketplace.Core.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Marketplace.Core.Persistence;

/// <summary>How many rows each table holds, by table name.</summary>
public sealed record TableCounts(IReadOnlyDictionary<string, long> Rows);

/// <summary>What a copy must leave equal: the ledger as reconciliation sees it, and every account's stored balance.</summary>
public sealed record LedgerFingerprint(ReconciliationCounts Counts, string ChainHead, string MerkleRoot, IReadOnlyList<string> Balances);

/// <summary>
/// Copies every table of one database into another, empty one of the same schema (SQLite into PostgreSQL, for
/// <c>db copy-to-postgres</c>): parents before children, each table in key order, with the keys it had, in one
/// transaction on the target, so the target ends either empty or whole. Through the EF model, so every value is
/// converted as the app itself reads and writes it. Hangfire's tables are not the model's and are not copied: they
/// hold scheduling and history only.
/// </summary>
public static class DatabaseCopy
{
    private const int Batch = 500;

    private static readonly MethodInfo CopyTableMethod = typeof(DatabaseCopy).GetMethod(nameof(CopyTableAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo CountMethod = typeof(DatabaseCopy).GetMethod(nameof(CountAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The model's tables, each after every table it refers to.</summary>
    public static IReadOnlyList<IEntityType> TablesInOrder(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var ordered = new List<IEntityType>();
        var remaining = model.GetEntityTypes().Where(t => t.GetTableName() is not null).OrderBy(t => t.GetTableName(), StringComparer.Ordinal).ToList();
        while (remaining.Count > 0)
        {
            // A table is ready once every other table it refers to is placed (a reference to itself is filled in key order).
            var ready = remaining.First(t => t.GetForeignKeys().All(k => k.PrincipalEntityType == t || ordered.Contains(k.PrincipalEntityType)));
            ordered.Add(ready);
            remaining.Remove(ready);
        }

        return ordered;
    }

    /// <summary>Rows per table of the model.</summary>
    public static async Task<TableCounts> CountRowsAsync(MarketplaceDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in TablesInOrder(db.Model))
        {
            rows[table.GetTableName()!] = await (Task<long>)CountMethod.MakeGenericMethod(table.ClrType).Invoke(null, [db, cancellationToken])!;
        }

        return new TableCounts(rows);
    }

    /// <summary>
    /// Applies the migrations to <paramref name="target"/>, refuses a target with any row in it (the name of the first
    /// such table is returned), and copies every table; the rows copied per table otherwise.
    /// </summary>
    public static async Task<(TableCounts? Copied, string? NotEmpty)> CopyAsync(MarketplaceDb source, MarketplaceDb target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        await target.Database.MigrateAsync(cancellationToken);
        var before = await CountRowsAsync(target, cancellationToken);
        if (before.Rows.FirstOrDefault(r => r.Value > 0) is { Key: { } occupied })
        {
            return (null, occupied);
        }

        target.ChangeTracker.AutoDetectChangesEnabled = false;
        var copied = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var transaction = await target.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var table in TablesInOrder(source.Model))
            {
                if (table.GetProperties().FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
                {
                    throw new InvalidOperationException($"{table.DisplayName()}.{shadow.Name} is a shadow property, which a no-tracking read does not carry: map it to a CLR property.");
                }

                copied[table.GetTableName()!] = await (Task<long>)CopyTableMethod.MakeGenericMethod(table.ClrType).Invoke(null, [source, target, table, cancellationToken])!;
            }

            // Rows went in with the keys they had; the next generated key must follow the largest.
            await DatabaseProvider.RestartKeySequencesAsync(target, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return (new TableCounts(copied), null);
    }

    /// <summary>The ledger as <paramref name="run"/> (a clean reconciliation of <paramref name="db"/>) found it, with the Merkle root and every balance.</summary>
    public static async Task<LedgerFingerprint> FingerprintAsync(MarketplaceDb db, ReconciliationRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(run);
        var size = await LedgerTree.SizeAsync(db, cancellationToken);
        var root = size == 0 ? string.Empty : Convert.ToHexStringLower(await LedgerTree.RootAsync(db, size, cancellationToken));
        var balances = await db.Accounts.AsNoTracking().OrderBy(a => a.Code).Select(a => new { a.Code, a.Balance }).ToListAsync(cancellationToken);
        return new LedgerFingerprint(run.Counts, run.ChainHead, root, balances.Select(b => $"{b.Code} {b.Balance}").ToList());
    }

    private static async Task<long> CopyTableAsync<T>(MarketplaceDb source, MarketplaceDb target, IEntityType table, CancellationToken cancellationToken)
        where T : class
    {
        var keys = table.FindPrimaryKey()!.Properties;
        var query = source.Set<T>().AsNoTracking().OrderBy(e => EF.Property<object>(e, keys[0].Name));
        foreach (var key in keys.Skip(1))
        {
            query = query.ThenBy(e => EF.Property<object>(e, key.Name));
        }

        long count = 0;
        await foreach (var row in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            // Added without walking its navigations: each row goes in once, from its own table.
            target.Entry(row).State = EntityState.Added;
            if (++count % Batch == 0)
            {
                await target.SaveChangesAsync(cancellationToken);
                target.ChangeTracker.Clear();
            }
        }

        await target.SaveChangesAsync(cancellationToken);
        target.ChangeTracker.Clear();
        return count;
    }

    private static async Task<long> CountAsync<T>(MarketplaceDb db, CancellationToken cancellationToken)
        where T : class => await db.Set<T>().LongCountAsync(cancellationToken);
}
