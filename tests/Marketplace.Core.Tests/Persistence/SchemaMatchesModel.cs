using System.Globalization;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Marketplace.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Persistence;

/// <summary>
/// The migration is written by hand, so nothing else notices when it drifts from the EF model.
/// A database built by the migration must look exactly like one built from the model, on the provider the run uses
/// (SQLite, or PostgreSQL with TEST_DATABASE_PROVIDER=Postgres).
/// </summary>
public sealed class SchemaMatchesModel : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "marketplace-core-tests", Guid.NewGuid().ToString("N"));

    public SchemaMatchesModel() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_migrated_schema_equals_the_schema_created_from_the_model()
    {
        if (TestProvider.IsPostgres)
        {
            await ComparePostgresAsync();
            return;
        }

        var migratedFile = Path.Combine(_directory, "migrated.db");
        var modelFile = Path.Combine(_directory, "model.db");
        await using (var db = TestDatabase.Open(migratedFile, _directory))
        {
            await db.Database.MigrateAsync();
        }

        await using (var db = TestDatabase.Open(modelFile, _directory))
        {
            Assert.True(await db.Database.EnsureCreatedAsync());
        }

        var migrated = await DescribeAsync(migratedFile);
        var model = await DescribeAsync(modelFile);

        Assert.Contains("ledger_entries.Amount INTEGER notnull=1 pk=0 default=", migrated);
        var differences = migrated.Except(model).Select(l => $"only in migration: {l}")
            .Concat(model.Except(migrated).Select(l => $"only in model:     {l}"))
            .ToList();
        // Spelled out in full: the collection diff would truncate the very names one needs to fix.
        Assert.True(differences.Count == 0, "The migration differs from the model:\n" + string.Join('\n', differences));
        Assert.Equal(model, migrated);
    }

    private async Task ComparePostgresAsync()
    {
        var migratedName = TestProvider.DatabaseNameFor(_directory + "/migrated");
        var modelName = TestProvider.DatabaseNameFor(_directory + "/model");
        try
        {
            await using (var db = TestDatabase.Open(new DatabaseSettings(DatabaseKind.Postgres, TestProvider.CreateDatabase(migratedName), _directory)))
            {
                await db.Database.MigrateAsync();
            }

            await using (var db = TestDatabase.Open(new DatabaseSettings(DatabaseKind.Postgres, TestProvider.CreateDatabase(modelName), _directory)))
            {
                // The database exists already (it was made empty); EnsureCreated would then do nothing.
                await db.Database.ExecuteSqlRawAsync(db.Database.GenerateCreateScript());
            }

            var migrated = await DescribePostgresAsync(TestProvider.ConnectionString(migratedName));
            var model = await DescribePostgresAsync(TestProvider.ConnectionString(modelName));

            Assert.Contains("ledger_entries.Amount bigint() nullable=NO default= identity=NO", migrated);
            Assert.Contains("ledger_transactions.Id bigint() nullable=NO default= identity=YES BY DEFAULT", migrated);
            var differences = migrated.Except(model).Select(l => $"only in migration: {l}")
                .Concat(model.Except(migrated).Select(l => $"only in model:     {l}"))
                .ToList();
            Assert.True(differences.Count == 0, "The migration differs from the model:\n" + string.Join('\n', differences));
            Assert.Equal(model, migrated);
        }
        finally
        {
            TestProvider.DropDatabase(migratedName);
            TestProvider.DropDatabase(modelName);
        }
    }

    /// <summary>
    /// One line per column (type, length, nullability, default, identity), per primary, unique and foreign key, and per
    /// index. CHECK constraints and triggers are the migrations' own guards (BalanceGuards, MerkleTree), which the model
    /// does not describe, so they are left out, as SQLite's triggers are.
    /// </summary>
    private static async Task<List<string>> DescribePostgresAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var lines = new List<string>();
        async Task ReadAsync(string sql, Func<System.Data.Common.DbDataReader, string> line)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(line(reader));
            }
        }

        static string Text(System.Data.Common.DbDataReader r, int i) => r.IsDBNull(i) ? string.Empty : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture) ?? string.Empty;
        await ReadAsync(
            """
            SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default, is_identity, identity_generation
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            """,
            r => $"{Text(r, 0)}.{Text(r, 1)} {Text(r, 2)}({Text(r, 3)}) nullable={Text(r, 4)} default={Text(r, 5)} identity={Text(r, 6)}{(r.IsDBNull(7) ? "" : " " + Text(r, 7))}");
        await ReadAsync(
            """
            SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f') AND t.relname <> '__EFMigrationsHistory'
            """,
            r => $"{Text(r, 0)} constraint {Text(r, 1)} {Text(r, 2)} {Text(r, 3)}");
        await ReadAsync(
            """
            SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            """,
            r => $"{Text(r, 0)} index {Text(r, 1)} {Text(r, 2)}");
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>EF's own bookkeeping tables are left out. One line per column, primary key, index and foreign key, sorted so order of creation does not matter.</summary>
    private static async Task<List<string>> DescribeAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        var lines = new List<string>();
        var tables = await QueryAsync(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_EFMigrations%' ESCAPE '\\'");
        foreach (var table in tables)
        {
            var name = table["name"];
            lines.Add($"table {name} autoincrement={table["sql"].Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase)}");
            foreach (var column in await QueryAsync(connection, $"PRAGMA table_info(\"{name}\")"))
            {
                lines.Add($"{name}.{column["name"]} {column["type"]} notnull={column["notnull"]} pk={column["pk"]} default={column["dflt_value"]}");
            }

            foreach (var index in await QueryAsync(connection, $"PRAGMA index_list(\"{name}\")"))
            {
                var columns = (await QueryAsync(connection, $"PRAGMA index_info(\"{index["name"]}\")")).OrderBy(c => int.Parse(c["seqno"], CultureInfo.InvariantCulture)).Select(c => c["name"]);
                lines.Add($"{name} index {index["name"]} unique={index["unique"]} origin={index["origin"]} partial={index["partial"]} ({string.Join(", ", columns)})");
            }

            foreach (var key in await QueryAsync(connection, $"PRAGMA foreign_key_list(\"{name}\")"))
            {
                lines.Add($"{name} foreign key {key["from"]} -> {key["table"]}.{key["to"]} on delete {key["on_delete"]} on update {key["on_update"]}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<Dictionary<string, string>>> QueryAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, string>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? string.Empty : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? string.Empty;
            }

            rows.Add(row);
        }

        return rows;
    }
}
