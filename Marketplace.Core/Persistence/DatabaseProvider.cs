using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Marketplace.Core.Persistence;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>Where the data lives: provider, connection string, and the folder for key files.</summary>
public sealed record DatabaseSettings(DatabaseKind Kind, string ConnectionString, string DataDirectory);

/// <summary>Everything that differs between database providers lives here.</summary>
public static class DatabaseProvider
{
    public static void Configure(DbContextOptionsBuilder options, DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Kind)
        {
            case DatabaseKind.Sqlite:
                options.UseSqlite(settings.ConnectionString).AddInterceptors(SqlitePragmas.Instance);
                break;
            case DatabaseKind.Postgres:
                options.UseNpgsql(settings.ConnectionString);
                break;
            default:
                throw new InvalidOperationException($"Database__Provider '{settings.Kind}' is not available in this build.");
        }

        // Migrations are written by hand (the design-time package is not available here), so
        // there is no model snapshot to compare; a test checks the migrated schema against the model instead.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>
    /// Applies the migrations. On PostgreSQL the history table is made first: the Npgsql provider otherwise finds out that
    /// a fresh database has none by a failing query, which it logs as an error (npgsql/efcore.pg#3407).
    /// </summary>
    public static async Task MigrateAsync(MarketplaceDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.GetDbConnection() is NpgsqlConnection)
        {
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// A time as every provider stores it: whole microseconds (PostgreSQL's timestamp precision; SQLite keeps more). A
    /// value hashed or signed before it is written must be cut to this first, or it reads back different.
    /// </summary>
    public static DateTime StoredPrecision(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond), value.Kind);

    public static bool IsUniqueViolation(DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException is DbException inner && IsUniqueViolation(inner);
    }

    /// <summary>The same for a plain command, which throws the provider's exception itself.</summary>
    public static bool IsUniqueViolation(DbException exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => exception?.SqlState == "23505",
    };

    /// <summary>
    /// A conflict between concurrent transactions that the database resolved by failing one of them: a serialisation
    /// failure (40001) or a deadlock (40P01) on PostgreSQL; SQLite serialises writers and reports neither. Nothing of
    /// the failed transaction was written, so running the same work again is safe.
    /// </summary>
    public static bool IsTransientConflict(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many times a request that the database failed for a transient conflict is run at most.</summary>
    public const int ConflictAttempts = 5;

    /// <summary>
    /// Takes the ledger's write lock for the rest of the current database transaction: one writer at a time appends to
    /// the hash chain and the Merkle tree, across every process on the database. SQLite: nothing to do, a writing
    /// transaction already holds the database's write lock (BEGIN IMMEDIATE). PostgreSQL: a transaction-level advisory
    /// lock, released by the commit or rollback; taking it again in the same transaction is free.
    /// </summary>
    public static async Task LockLedgerAsync(MarketplaceDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.GetDbConnection() is not NpgsqlConnection connection)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("The ledger lock is taken inside the transaction that writes the ledger.");
        command.CommandText = "SELECT pg_advisory_xact_lock(@key)";
        command.Parameters.AddWithValue("key", LedgerLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Locks one row for the rest of the current database transaction before the caller reads and decides on it: what
    /// makes a check-then-write (a payment's state, a hold's resolution) one step on PostgreSQL, where concurrent
    /// transactions at READ COMMITTED would both read the old state. A second caller waits, then reads what the first
    /// committed. SQLite: nothing to do, the writing transaction already holds the database's write lock.
    /// </summary>
    public static async Task LockRowAsync<TEntity>(MarketplaceDb db, object key, CancellationToken cancellationToken)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        if (db.Database.GetDbConnection() is not NpgsqlConnection)
        {
            return;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A row lock is taken inside the transaction that decides on the row.");
        }

        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped.");
        var table = entity.GetTableName();
        var column = entity.FindPrimaryKey()!.Properties.Single().GetColumnName();
#pragma warning disable EF1002 // Table and column names come from the model, never from input; the key is a parameter.
        await db.Database.ExecuteSqlRawAsync($"SELECT 1 FROM \"{table}\" WHERE \"{column}\" = @p0 FOR UPDATE", [new NpgsqlParameter("p0", key)], cancellationToken);
#pragma warning restore EF1002
    }

    /// <summary>
    /// Held while an instance initializes the database (migrations, backfills, seed), so that instances starting
    /// together on a fresh or older database take turns: the second finds the work done. PostgreSQL: a session-level
    /// advisory lock on the context's connection, kept open until the lock is released (EF's own migration lock there
    /// did not stop two instances creating the same table). SQLite: nothing to take; EF locks its migrations, writers
    /// queue for the file's write lock, and the seed looks again when another instance got there first.
    /// </summary>
    public static async Task<IAsyncDisposable> LockStartAsync(MarketplaceDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.GetDbConnection() is not NpgsqlConnection connection)
        {
            return NoLock.Instance;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT pg_advisory_lock(@key)";
            command.Parameters.AddWithValue("key", StartLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new StartLock(db, connection);
    }

    /// <summary>The advisory lock key of the start lock ("start" in ASCII).</summary>
    private const long StartLockKey = 0x73_74_61_72_74;

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class StartLock(MarketplaceDb db, NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT pg_advisory_unlock(@key)";
                command.Parameters.AddWithValue("key", StartLockKey);
                await command.ExecuteNonQueryAsync();
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The advisory lock key of the ledger's write lock ("ledger" in ASCII): one key per database, as the lock is.</summary>
    private const long LedgerLockKey = 0x6C_65_64_67_65_72;

    /// <summary>
    /// A read-only snapshot for long reads such as reconciliation: every query in it sees the same
    /// committed state while writers carry on. SQLite: a deferred transaction (its snapshot starts at
    /// the first read; WAL lets writers continue). PostgreSQL: REPEATABLE READ, its snapshot isolation. The caller has opened the connection and rolls back.
    /// </summary>
    public static async Task<DbTransaction> BeginReadSnapshotAsync(MarketplaceDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var connection = db.Database.GetDbConnection();
        var snapshot = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await db.Database.UseTransactionAsync(snapshot, cancellationToken);
        return snapshot;
    }

    /// <summary>
    /// After rows were inserted with the keys they had (<see cref="DatabaseCopy"/>), makes the next generated key follow
    /// the largest. SQLite's AUTOINCREMENT already does: an inserted key above its counter moves the counter.
    /// </summary>
    public static async Task RestartKeySequencesAsync(MarketplaceDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.GetDbConnection() is not NpgsqlConnection)
        {
            return;
        }

        // PostgreSQL: an identity column's sequence knows nothing of keys inserted explicitly; set it past the largest.
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var key = entity.FindPrimaryKey()?.Properties is [var single] && single.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd
                && (single.ClrType == typeof(long) || single.ClrType == typeof(int)) ? single : null;
            if (key is null || entity.GetTableName() is not { } table)
            {
                continue;
            }

            var column = key.GetColumnName();
#pragma warning disable EF1002 // Table and column names come from the model, never from input.
            await db.Database.ExecuteSqlRawAsync(
                $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)",
                cancellationToken);
#pragma warning restore EF1002
        }
    }

    /// <summary>Makes sure the folder of a SQLite database file exists before the first connection.</summary>
    public static void PrepareStorage(DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(settings.DataDirectory);
        if (settings.Kind == DatabaseKind.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder) && !file.Contains(":memory:", StringComparison.OrdinalIgnoreCase))
            {
                Directory.CreateDirectory(folder);
            }
        }
    }

    /// <summary>
    /// WAL lets readers run beside the single writer; FULL sync because this is money; a busy
    /// timeout so writers queue instead of failing. Microsoft.Data.Sqlite already starts
    /// transactions as BEGIN IMMEDIATE, so a writer takes the lock before it reads.
    /// <para>
    /// The settings belong to the physical connection (journal_mode even to the file) and survive its trips through the
    /// pool, so they run once per physical connection: EF opens and closes the pooled connection around every query
    /// outside a transaction, and four PRAGMAs on each of those opens were a measurable part of a request.
    /// </para>
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();
        private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";

        // Keyed by the native connection handle, which the pool hands out again with the settings still in force.
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _configured = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (!FirstOpen(connection))
            {
                return;
            }

            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (!FirstOpen(connection))
            {
                return;
            }

            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = Pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private bool FirstOpen(DbConnection connection) =>
            connection is not SqliteConnection { Handle: { } handle } || _configured.TryAdd(handle, handle);
    }
}
