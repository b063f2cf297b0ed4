using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Admin;
using Marketplace.Web.Tests.Wallet;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Ledger;

/// <summary>
/// Someone with the database changes an old transaction (backdates it, here) and rebuilds the hash chain and the Merkle
/// tree to match, so the chain verifies again. A checkpoint the user saved before is what gives it away.
/// </summary>
public sealed class WhenHistoryIsRewritten
{
    [Fact]
    public async Task A_checkpoint_saved_before_fails_the_consistency_check_against_the_one_signed_after_even_with_the_checkpoint_log_erased()
    {
        using var app = new ReconciliationApp();
        using var shopper = await WebShopper.RegisterAsync(app);
        await shopper.PaidTopUpsAsync(2);
        _ = await app.SignCheckpointAsync();
        var saved = await app.SaveLatestCheckpointAsync();

        await RewriteAsync(app, shopper);
        // Erasing the log of checkpoints as well lets the server sign afresh over the rewritten history.
        await app.TamperAsync(Marketplace.Tests.Support.TestProvider.IsPostgres
            ? "DROP TRIGGER \"ledger_checkpoints_are_append_only\" ON \"ledger_checkpoints\""
            : "DROP TRIGGER \"ledger_checkpoints_are_append_only_on_delete\"");
        await app.TamperAsync("DELETE FROM \"ledger_checkpoints\"");
        await shopper.PaidTopUpsAsync(1);
        var statement = await shopper.DownloadVerifiableStatementAsync(since: LedgerTesting.TreeSize(saved));
        var key = await app.PublicKeyAsync();

        var (alone, aloneOutput) = LedgerTesting.Verify(statement, key);
        var (exitCode, output) = LedgerTesting.Verify(statement, key, saved);

        Assert.True(alone == 0, aloneOutput);
        Assert.Equal(1, exitCode);
        Assert.Equal("consistency", LedgerTesting.FailedCheck(output));
        Assert.Contains("PASS previous checkpoint signature:", output, StringComparison.Ordinal);
        Assert.Contains("the history that checkpoint signed was changed or removed", output, StringComparison.Ordinal);
        Assert.Empty((await app.ReconcileAsync()).GetProperty("discrepancies").EnumerateArray());
    }

    [Fact]
    public async Task With_the_checkpoints_kept_the_server_signs_no_more_and_reconciliation_names_the_checkpoint()
    {
        using var app = new ReconciliationApp();
        using var shopper = await WebShopper.RegisterAsync(app);
        await shopper.PaidTopUpsAsync(2);
        var signed = Assert.IsType<CheckpointResult.SignedNow>(await app.SignCheckpointAsync()).Checkpoint;

        await RewriteAsync(app, shopper);
        await shopper.PaidTopUpsAsync(1);

        using var statement = await shopper.GetAsync(LedgerTesting.StatementPath());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, statement.StatusCode);
        Assert.Contains("cannot be checkpointed", await statement.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var found = Assert.Single((await app.ReconcileAsync()).GetProperty("discrepancies").EnumerateArray());
        Assert.Equal(ReconciliationChecks.Checkpoint, found.GetProperty("check").GetString());
        Assert.Contains($"checkpoint {signed.Id} ", found.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(signed.Id, LatestId(await app.SaveLatestCheckpointAsync()));
    }

    /// <summary>Backdates the shopper's first top-up to the moment of their welcome grant, then rebuilds chain and tree over the ledger as it now reads.</summary>
    private static async Task RewriteAsync(ReconciliationApp app, WebShopper shopper)
    {
        var history = (await shopper.Client.GetFromJsonAsync<JsonElement>(new Uri("/api/wallet/transactions", UriKind.Relative))).GetProperty("items").EnumerateArray().ToList();
        var topUp = history.Last(i => i.GetProperty("kind").GetString() == "top_up").GetProperty("transaction_id").GetInt64();
        var welcome = history.Single(i => i.GetProperty("kind").GetString() == "welcome_grant").GetProperty("transaction_id").GetInt64();
        Assert.Equal(1, await app.TamperAsync(
            "UPDATE \"ledger_transactions\" SET \"CreatedAt\" = (SELECT \"CreatedAt\" FROM \"ledger_transactions\" WHERE \"Id\" = $welcome) WHERE \"Id\" = $id",
            ("$welcome", welcome),
            ("$id", topUp)));
        await app.TamperAsync("UPDATE \"ledger_transactions\" SET \"Hash\" = NULL, \"PreviousHash\" = NULL, \"LeafIndex\" = NULL");
        await app.TamperAsync("DELETE FROM \"ledger_tree_nodes\"");
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        Assert.True(await LedgerChain.BackfillAsync(db) > 0);
        Assert.True(await LedgerTree.BackfillAsync(db) > 0);
    }

    private static long LatestId(byte[] saved) =>
        JsonSerializer.Deserialize<JsonElement>(JsonSerializer.Deserialize<JsonElement>(saved).GetProperty("checkpoint").GetString()!).GetProperty("id").GetInt64();
}
