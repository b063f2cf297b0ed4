using System.Security.Cryptography;
using System.Text;
using Marketplace.Core.Persistence;
using Npgsql;

namespace Marketplace.Tests.Support;

/// <summary>
/// Which database the suite runs on: SQLite unless <c>TEST_DATABASE_PROVIDER=Postgres</c>, in which case every test
/// class gets a database of its own on the server <c>TEST_POSTGRES_CONNECTION</c> names (an admin connection string,
/// which scripts/postgres.sh prints). A Postgres run without that server fails at the first test that needs it rather
/// than quietly testing SQLite again.
/// <para>
/// Tests that are SQLite-only by nature (they check the file, its PRAGMAs or its triggers) carry
/// <c>[Trait(TestProvider.Trait, TestProvider.SqliteOnly)]</c>; the Postgres run leaves them out with a filter, so they
/// count once, as SQLite tests, and never as passed on PostgreSQL. Tests of what only PostgreSQL does (its conflict
/// errors) carry <see cref="PostgresOnly"/> and are left out of the SQLite runs the same way.
/// </para>
/// </summary>
public static class TestProvider
{
    public const string Trait = "Provider";

    public const string SqliteOnly = "SqliteOnly";

    public const string PostgresOnly = "PostgresOnly";

    public const string ProviderVariable = "TEST_DATABASE_PROVIDER";

    public const string ServerVariable = "TEST_POSTGRES_CONNECTION";

    public static DatabaseKind Kind { get; } = Environment.GetEnvironmentVariable(ProviderVariable) switch
    {
        null or "" => DatabaseKind.Sqlite,
        var name when Enum.TryParse<DatabaseKind>(name, ignoreCase: true, out var kind) => kind,
        var name => throw new InvalidOperationException($"{ProviderVariable}='{name}' is neither Sqlite nor Postgres."),
    };

    public static bool IsPostgres => Kind == DatabaseKind.Postgres;

    /// <summary>The admin connection to the test server; fails loudly when a Postgres run has none.</summary>
    public static string ServerConnection =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ProviderVariable}=Postgres needs {ServerVariable}, an admin connection string to a PostgreSQL server " +
                "(scripts/postgres.sh start prints one; scripts/test.sh starts a throwaway server by itself).");

    /// <summary>
    /// The database name for a test's data directory (or any other key): the same key always names the same database,
    /// so two app instances given one data directory share one database, as they would share one SQLite file.
    /// </summary>
    public static string DatabaseNameFor(string key) =>
        "test_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24];

    /// <summary>Creates the database (if it does not exist yet) and returns a connection string to it.</summary>
    public static string CreateDatabase(string name)
    {
        using (var server = new NpgsqlConnection(ServerConnection))
        {
            server.Open();
            using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", server);
            exists.Parameters.AddWithValue("name", name);
            if (exists.ExecuteScalar() is null)
            {
                try
                {
                    using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", server);
                    create.ExecuteNonQuery();
                }
                catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
                {
                    // Another instance sharing the data directory created it first.
                }
            }
        }

        return ConnectionString(name);
    }

    public static string ConnectionString(string name) =>
        new NpgsqlConnectionStringBuilder(ServerConnection)
        {
            Database = name,
            // Hundreds of test classes each keep a pool; a small one per database keeps the server under its connection limit.
            MaxPoolSize = 40,
        }.ConnectionString;

    /// <summary>Drops the database, closing whatever connections are still open to it.</summary>
    public static void DropDatabase(string name)
    {
        using (var pooled = new NpgsqlConnection(ConnectionString(name)))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        using var server = new NpgsqlConnection(ServerConnection);
        server.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", server);
        drop.ExecuteNonQuery();
    }
}
