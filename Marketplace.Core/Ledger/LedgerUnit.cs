using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.Core.Ledger;

/// <summary>
/// The savepoint a <see cref="LedgerWriter"/> puts around each unit of a group, and whether the unit has written
/// anything since it. A <see cref="LedgerScope"/> begun while the unit is still <see cref="Clean"/> needs no savepoint of
/// its own: rolling back to the unit's undoes exactly what the scope wrote. So the common unit (a purchase: its scope,
/// the posting's scope, the order) costs one savepoint instead of three, each a statement on the writer's thread.
/// <para>
/// Anything the unit writes clears <see cref="Clean"/>: a scope that completes, and every command EF runs on the
/// context that is not a plain SELECT (<see cref="WriteInterceptor"/>, which every <see cref="Persistence.MarketplaceDb"/>
/// carries: <c>SaveChanges</c>, <c>ExecuteUpdate</c>, <c>ExecuteDelete</c>, raw SQL). Plain commands on the connection
/// are not seen, which is why the ledger's and the order's run only inside scopes.
/// </para>
/// </summary>
internal sealed class LedgerUnit : IAsyncDisposable
{
    // Standard SQL spellings (SQLite and PostgreSQL both take them).
    private const string Name = "ledger_writer_unit";
    private readonly DbCommand _begin;
    private readonly DbCommand _release;
    private readonly DbCommand _rollback;

    public LedgerUnit(DbConnection connection, DbTransaction transaction)
    {
        _begin = Command(connection, transaction, $"SAVEPOINT {Name}");
        _release = Command(connection, transaction, $"RELEASE SAVEPOINT {Name}");
        _rollback = Command(connection, transaction, $"ROLLBACK TO SAVEPOINT {Name}");
    }

    /// <summary>Nothing written since the unit's savepoint (or everything written was rolled back to it).</summary>
    public bool Clean { get; private set; }

    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        await _begin.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Clean = true;
    }

    public Task ReleaseAsync(CancellationToken cancellationToken) => _release.ExecuteNonQueryAsync(cancellationToken);

    /// <summary>Undoes everything the unit wrote; the savepoint stays, to be released.</summary>
    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        await _rollback.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Clean = true;
    }

    public void Wrote() => Clean = false;

    public async ValueTask DisposeAsync()
    {
        await _begin.DisposeAsync().ConfigureAwait(false);
        await _release.DisposeAsync().ConfigureAwait(false);
        await _rollback.DisposeAsync().ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Constant SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    /// <summary>Marks the writer's current unit written when EF runs a command that is not a query on its context.</summary>
    internal sealed class WriteInterceptor : DbCommandInterceptor
    {
        public static readonly WriteInterceptor Instance = new();

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Mark(eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Mark(eventData);
            return ValueTask.FromResult(result);
        }

        // ExecuteUpdate/ExecuteDelete with RETURNING, or raw SQL read as rows, go through a reader: a reader that is
        // not a plain SELECT counts as a write.
        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            MarkUnlessQuery(command, eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            MarkUnlessQuery(command, eventData);
            return ValueTask.FromResult(result);
        }

        private static void Mark(CommandEventData eventData)
        {
            if (eventData.Context is Persistence.MarketplaceDb { WriterUnit: { } unit })
            {
                unit.Wrote();
            }
        }

        private static void MarkUnlessQuery(DbCommand command, CommandEventData eventData)
        {
            if (eventData.Context is Persistence.MarketplaceDb { WriterUnit: { Clean: true } unit }
                && !command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                unit.Wrote();
            }
        }
    }
}
