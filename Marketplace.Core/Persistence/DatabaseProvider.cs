using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

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
            default:
                throw new InvalidOperationException($"Database__Provider '{settings.Kind}' is not available in this build.");
        }

        // Migrations are written by hand (the design-time package is not available here), so
        // there is no model snapshot to compare; a test checks the migrated schema against the model instead.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

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
    /// A read-only snapshot for long reads such as reconciliation: every query in it sees the same
    /// committed state while writers carry on. SQLite: a deferred transaction (its snapshot starts at
    /// the first read; WAL lets writers continue). The caller has opened the connection and rolls back.
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
    public static Task RestartKeySequencesAsync(MarketplaceDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.IsSqlite()
            ? Task.CompletedTask
            : throw new InvalidOperationException($"Restarting key sequences is not written for {db.Database.ProviderName}.");
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
