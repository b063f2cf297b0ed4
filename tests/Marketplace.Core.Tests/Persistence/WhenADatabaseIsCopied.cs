using Marketplace.Core.Admin;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Core.Tests.Persistence;

/// <summary>
/// What <c>db copy-to-postgres</c> does, between two SQLite files: every table copied whole, with its keys, and the
/// copy reconciles to the same counts, chain head, Merkle root and balances.
/// </summary>
public sealed class WhenADatabaseIsCopied(TestDatabase source) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly string _targetDirectory = Path.Combine(Path.GetTempPath(), "marketplace-core-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_row_arrives_and_the_copy_reconciles_to_the_same_ledger()
    {
        await source.RealisticActivityAsync();
        var sourceRun = await source.ReconcileAsync();
        Assert.Equal(ReconciliationStatus.Clean, sourceRun.Status);
        Directory.CreateDirectory(_targetDirectory);
        await using var from = source.NewContext();
        await using var to = Target();

        var (copied, notEmpty) = await DatabaseCopy.CopyAsync(from, to);

        Assert.Null(notEmpty);
        var counted = await DatabaseCopy.CountRowsAsync(from);
        Assert.Equal(counted.Rows, copied!.Rows);
        Assert.Equal(counted.Rows, (await DatabaseCopy.CountRowsAsync(to)).Rows);
        Assert.Contains(copied.Rows, r => r.Key == "ledger_entries" && r.Value > 10);
        var targetRun = await new ReconciliationService(to, new AuditLog(to, source.Clock), new LedgerCheckpoints(to, source.Signer, source.Clock, NullLogger<LedgerCheckpoints>.Instance), source.Clock, NullLogger<ReconciliationService>.Instance).RunAsync();
        Assert.Equal(ReconciliationStatus.Clean, targetRun.Status);
        var expected = await DatabaseCopy.FingerprintAsync(from, sourceRun);
        var actual = await DatabaseCopy.FingerprintAsync(to, targetRun);
        Assert.Equal(expected.Counts, actual.Counts);
        Assert.Equal(expected.ChainHead, actual.ChainHead);
        Assert.Equal(expected.MerkleRoot, actual.MerkleRoot);
        Assert.Equal(expected.Balances, actual.Balances);
        Assert.NotEmpty(expected.MerkleRoot);
    }

    [Fact]
    public async Task A_target_that_already_holds_data_is_refused_and_left_as_it_was()
    {
        Directory.CreateDirectory(_targetDirectory);
        await using (var seeded = Target())
        {
            await new DatabaseInitializer(seeded, source.Clock).InitializeAsync();
        }

        await using var from = source.NewContext();
        await using var to = Target();
        var before = await DatabaseCopy.CountRowsAsync(to);

        var (copied, notEmpty) = await DatabaseCopy.CopyAsync(from, to);

        Assert.Null(copied);
        Assert.NotNull(notEmpty);
        Assert.Equal(before.Rows, (await DatabaseCopy.CountRowsAsync(to)).Rows);
    }

    [Fact]
    public void Every_table_comes_after_the_tables_it_refers_to()
    {
        using var db = source.NewContext();

        var order = DatabaseCopy.TablesInOrder(db.Model).Select(t => t.GetTableName()).ToList();

        Assert.Equal(db.Model.GetEntityTypes().Count(), order.Count);
        Assert.True(order.IndexOf("users") < order.IndexOf("user_sessions"));
        Assert.True(order.IndexOf("ledger_transactions") < order.IndexOf("ledger_entries"));
        Assert.True(order.IndexOf("accounts") < order.IndexOf("ledger_entries"));
        Assert.True(order.IndexOf("reconciliation_runs") < order.IndexOf("ledger_checkpoints"));
        Assert.Contains(DataProtectionKeyRecord.Table, order);
        Assert.Contains("server_keys", order);
    }

    private MarketplaceDb Target() => TestDatabase.Open(Path.Combine(_targetDirectory, "copy.db"), _targetDirectory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_targetDirectory))
        {
            Directory.Delete(_targetDirectory, recursive: true);
        }
    }
}
