using Marketplace.Core.Admin;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Core.Tests.Persistence;

/// <summary>
/// What <c>db copy-to-postgres</c> does, here between two databases of the suite's provider (the Web suite copies SQLite
/// into PostgreSQL through the command): every table copied whole, with its keys, the next generated keys after them,
/// and the copy reconciles to the same counts, chain head, Merkle root and balances.
/// </summary>
public sealed class WhenADatabaseIsCopied(TestDatabase source) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly FreshDatabase _target = new();

    [Fact]
    public async Task Every_row_arrives_and_the_copy_reconciles_to_the_same_ledger()
    {
        await source.RealisticActivityAsync();
        var sourceRun = await source.ReconcileAsync();
        Assert.Equal(ReconciliationStatus.Clean, sourceRun.Status);
        await using var from = source.NewContext();
        await using var to = _target.Open();

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
        // The target numbers new rows after the copied ones (PostgreSQL's identity sequences were moved past them).
        var lastRun = await from.ReconciliationRuns.MaxAsync(r => r.Id);
        Assert.True(targetRun.Id > lastRun, $"run {targetRun.Id} after copied run {lastRun}");
    }

    [Fact]
    public async Task A_target_that_already_holds_data_is_refused_and_left_as_it_was()
    {
        await using (var seeded = _target.Open())
        {
            await new DatabaseInitializer(seeded, source.Clock).InitializeAsync();
        }

        await using var from = source.NewContext();
        await using var to = _target.Open();
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

    public void Dispose() => _target.Dispose();
}
