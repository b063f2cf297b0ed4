using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

/// <summary>
/// Someone with the database file changes an old transaction and carefully rebuilds the hash chain and the Merkle
/// tree, so both hold again. Only a checkpoint signed before the change can tell.
/// </summary>
public sealed class WhenHistoryIsRewrittenUnderACheckpoint : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private Activity _activity = null!;
    private LedgerCheckpoint _saved = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _activity = await _database.RealisticActivityAsync();
        Assert.Empty((await _database.ReconcileAsync()).Discrepancies);
        await using var db = _database.NewContext();
        _saved = (await _database.Checkpoints(db).LatestAsync())!;
        Assert.True(_saved.TreeSize > 0);

        await _database.TamperAsync($"UPDATE \"ledger_transactions\" SET \"CreatedAt\" = '2020-01-01 00:00:00' WHERE \"Id\" = {_activity.TransferId}");
        await db.Database.ExecuteSqlRawAsync("UPDATE \"ledger_transactions\" SET \"Hash\" = NULL, \"PreviousHash\" = NULL, \"LeafIndex\" = NULL");
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"ledger_tree_nodes\"");
        await LedgerChain.BackfillAsync(db);
        await LedgerTree.BackfillAsync(db);
        // Business goes on, so the tree outgrows the saved checkpoint.
        await _database.FundAsync(_activity.Bob, 500);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Reconciliation_finds_the_chain_and_the_tree_whole_and_names_the_checkpoint_that_no_longer_matches()
    {
        var run = await _database.ReconcileAsync();

        var found = Assert.Single(run.Discrepancies);
        Assert.Equal(ReconciliationChecks.Checkpoint, found.Check);
        Assert.Contains($"checkpoint {_saved.Id} ", found.Message, StringComparison.Ordinal);
        Assert.Equal($"root {_saved.RootHash} over {_saved.TreeSize} transactions", found.Expected);
    }

    [Fact]
    public async Task The_server_refuses_to_sign_a_checkpoint_over_the_rewritten_history()
    {
        await using var db = _database.NewContext();

        var result = await _database.Checkpoints(db).SignAsync();

        Assert.Contains("changed after it", Assert.IsType<CheckpointResult.Refused>(result).Reason, StringComparison.Ordinal);
        Assert.Equal(_saved.Id, (await _database.Checkpoints(db).LatestAsync())!.Id);
    }

    [Fact]
    public async Task The_rewritten_tree_has_no_consistency_proof_from_the_saved_checkpoint()
    {
        await using var db = _database.NewContext();
        var size = await LedgerTree.SizeAsync(db);
        var root = await LedgerTree.RootAsync(db, size);

        var path = await LedgerTree.ConsistencyPathAsync(db, _saved.TreeSize, size);

        Assert.True(StrictBase64Url.TryDecode(_saved.RootHash, out var savedRoot));
        Assert.False(Merkle.VerifyConsistency(_saved.TreeSize, size, savedRoot, root, path));
        Assert.True(Merkle.VerifyConsistency(_saved.TreeSize, size, await LedgerTree.RootAsync(db, _saved.TreeSize), root, path));
    }
}
