using System.Security.Cryptography;
using System.Text;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public sealed class WhenCheckpointsAreSigned(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_checkpoint_is_the_documented_json_signed_by_the_receipt_key_over_the_trees_root()
    {
        await database.CreateUserAsync(fundedUnits: 1_000);
        await using var db = database.NewContext();

        var checkpoint = (await database.Checkpoints(db).SignAsync()).CheckpointOrThrow();

        var size = await LedgerTree.SizeAsync(db);
        Assert.Equal(size, checkpoint.TreeSize);
        Assert.Equal(StrictBase64Url.Encode(await LedgerTree.RootAsync(db, size)), checkpoint.RootHash);
        Assert.StartsWith(
            $"{{\"format\":\"marketplace-ledger-checkpoint-v1\",\"id\":{checkpoint.Id},\"tree_size\":{size},\"root_hash\":\"{checkpoint.RootHash}\",\"timestamp\":\"",
            checkpoint.Json,
            StringComparison.Ordinal);
        Assert.True(StrictBase64Url.TryDecode(checkpoint.Signature, out var signature));
        Assert.True(Ed25519.Verify(database.Signer.PublicKey, Encoding.UTF8.GetBytes(checkpoint.Json), signature));
    }

    [Fact]
    public async Task Nothing_posted_since_the_latest_means_no_new_checkpoint_and_a_posting_means_one_naming_it()
    {
        var user = await database.CreateUserAsync(fundedUnits: 1_000);
        await using var db = database.NewContext();
        var first = (await database.Checkpoints(db).SignAsync()).CheckpointOrThrow();

        var again = await database.Checkpoints(db).SignAsync();
        await database.FundAsync(user, 10);
        var next = Assert.IsType<CheckpointResult.SignedNow>(await database.Checkpoints(db).SignAsync()).Checkpoint;

        Assert.Equal(first.Id, Assert.IsType<CheckpointResult.Unchanged>(again).Checkpoint.Id);
        Assert.Equal(first.Id + 1, next.Id);
        Assert.Equal(first.Id, next.PreviousId);
        Assert.Contains($"\"previous_id\":{first.Id},\"previous_sha256\":\"{StrictBase64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(first.Json)))}\"", next.Json, StringComparison.Ordinal);
        Assert.Equal(first.TreeSize + 1, next.TreeSize);
    }

    [Fact]
    public async Task A_covering_checkpoint_is_the_latest_when_it_holds_the_transaction_and_a_new_one_when_not()
    {
        var user = await database.CreateUserAsync(fundedUnits: 1_000);
        await using var db = database.NewContext();
        var latest = (await database.Checkpoints(db).SignAsync()).CheckpointOrThrow();
        await database.FundAsync(user, 10);

        var covered = await database.Checkpoints(db).CoveringAsync(latest.TreeSize);
        var extended = await database.Checkpoints(db).CoveringAsync(latest.TreeSize + 1);

        Assert.Equal(latest.Id, Assert.IsType<CheckpointResult.Unchanged>(covered).Checkpoint.Id);
        Assert.Equal(latest.TreeSize + 1, Assert.IsType<CheckpointResult.SignedNow>(extended).Checkpoint.TreeSize);
    }

    [Theory]
    [InlineData("UPDATE \"ledger_checkpoints\" SET \"TreeSize\" = \"TreeSize\" + 1")]
    [InlineData("UPDATE \"ledger_checkpoints\" SET \"Signature\" = 'forged'")]
    [InlineData("DELETE FROM \"ledger_checkpoints\"")]
    public async Task The_database_refuses_to_change_or_delete_a_checkpoint(string sql)
    {
        await database.CreateUserAsync(fundedUnits: 1_000);
        await using var db = database.NewContext();
        _ = (await database.Checkpoints(db).CoveringAsync(1)).CheckpointOrThrow();

        var refused = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync(sql));

        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
    }
}
