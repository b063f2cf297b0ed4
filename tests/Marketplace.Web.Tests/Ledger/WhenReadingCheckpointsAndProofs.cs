using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Web.Jobs;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Ledger;

public sealed class WhenReadingCheckpointsAndProofs(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task Latest_is_a_problem_until_the_job_signs_one_and_the_job_signs_none_when_nothing_changed()
    {
        using var fresh = new MarketplaceApp();
        using var visitor = ApiClient.For(fresh);
        using (var none = await visitor.GetAsync("/api/ledger/checkpoints/latest"))
        {
            await none.AssertProblemAsync(HttpStatusCode.NotFound, "no_checkpoint");
        }

        await ApiClient.RegisterUserAsync(fresh);
        var jobs = fresh.Services.GetRequiredService<IRecurringJobManagerV2>();
        jobs.TriggerJob("ledger-checkpoint");
        await SucceededCheckpointJobsAsync(fresh, 1);
        var first = await visitor.GetJsonAsync("/api/ledger/checkpoints/latest");
        jobs.TriggerJob("ledger-checkpoint");
        await SucceededCheckpointJobsAsync(fresh, 2);

        var checkpoint = Checkpoint(first);
        Assert.Equal(1, checkpoint.GetProperty("id").GetInt64());
        Assert.Equal(1, checkpoint.GetProperty("tree_size").GetInt64());
        Assert.True(Ed25519.Verify(Decode(await fresh.PublicKeyAsync()), Encoding.UTF8.GetBytes(first.GetProperty("checkpoint").GetString()!), Decode(first.GetProperty("signature").GetString()!)));
        var all = await visitor.GetJsonAsync("/api/ledger/checkpoints");
        Assert.Single(all.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public void The_checkpoint_job_runs_every_ten_minutes_on_the_clock_by_default()
    {
        _ = app.CreateClient();
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == "ledger-checkpoint");

        Assert.Equal("*/10 * * * *", job.Cron);
        Assert.Equal(typeof(LedgerCheckpointJob), job.Job.Type);
        Assert.Equal(TimeZoneInfo.Utc.Id, job.TimeZoneId);
    }

    [Fact]
    public async Task Each_checkpoint_names_the_one_before_it_and_they_page_newest_first()
    {
        for (var i = 0; i < 3; i++)
        {
            await ApiClient.RegisterUserAsync(app);
            Assert.IsType<CheckpointResult.SignedNow>(await app.SignCheckpointAsync());
        }

        using var visitor = ApiClient.For(app);
        var first = await visitor.GetJsonAsync("/api/ledger/checkpoints?limit=2");
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await visitor.GetJsonAsync($"/api/ledger/checkpoints?limit=2&before={cursor}");

        var signed = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("checkpoint").GetString()!).ToList();
        Assert.True(signed.Count >= 3);
        var ids = signed.Select(c => JsonSerializer.Deserialize<JsonElement>(c).GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        for (var i = 0; i + 1 < signed.Count; i++)
        {
            var newer = JsonSerializer.Deserialize<JsonElement>(signed[i]);
            Assert.Equal(ids[i + 1], newer.GetProperty("previous_id").GetInt64());
            Assert.Equal(StrictBase64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(signed[i + 1]))), newer.GetProperty("previous_sha256").GetString());
        }
    }

    [Fact]
    public async Task An_owner_gets_an_inclusion_proof_from_the_leaf_of_their_transaction_to_the_checkpoints_root()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        var transactionId = (await owner.GetJsonAsync("/api/wallet/transactions")).GetProperty("items")[0].GetProperty("transaction_id").GetInt64();
        _ = await app.SignCheckpointAsync();
        var checkpoint = Checkpoint(await owner.GetJsonAsync("/api/ledger/checkpoints/latest"));
        var size = checkpoint.GetProperty("tree_size").GetInt64();

        var proof = await owner.GetJsonAsync($"/api/ledger/proof/inclusion?tx={transactionId}&size={size}");

        var canonical = await QueryAsync(db => db.LedgerTransactions.AsNoTracking().Include(t => t.Entries).SingleAsync(t => t.Id == transactionId));
        var leaf = SHA256.HashData([0, .. Encoding.UTF8.GetBytes(canonical.Canonical())]);
        Assert.Equal(StrictBase64Url.Encode(leaf), proof.GetProperty("leaf_hash").GetString());
        Assert.Equal(size, proof.GetProperty("tree_size").GetInt64());
        var path = proof.GetProperty("inclusion_path").EnumerateArray().Select(h => Decode(h.GetString()!)).ToList();
        Assert.True(Merkle.VerifyInclusion(leaf, proof.GetProperty("leaf_index").GetInt64(), size, path, Decode(checkpoint.GetProperty("root_hash").GetString()!)));
    }

    [Fact]
    public async Task Someone_elses_transaction_is_not_found_an_admin_gets_it_and_a_visitor_must_sign_in()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        using var other = await ApiClient.RegisteredAsync(app);
        using var admin = await app.AdminAsync();
        using var visitor = ApiClient.For(app);
        var transactionId = (await owner.GetJsonAsync("/api/wallet/transactions")).GetProperty("items")[0].GetProperty("transaction_id").GetInt64();
        _ = await app.SignCheckpointAsync();
        var size = Checkpoint(await visitor.GetJsonAsync("/api/ledger/checkpoints/latest")).GetProperty("tree_size").GetInt64();
        var path = $"/api/ledger/proof/inclusion?tx={transactionId}&size={size}";

        using var theirs = await other.GetAsync(path);
        using var admins = await admin.GetAsync(path);
        using var signedOut = await visitor.GetAsync(path);

        await theirs.AssertProblemAsync(HttpStatusCode.NotFound, "transaction_not_found");
        Assert.Equal(HttpStatusCode.OK, admins.StatusCode);
        await signedOut.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
    }

    [Fact]
    public async Task A_size_that_does_not_hold_the_transaction_or_exceeds_the_tree_is_refused_with_the_limits()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        var transactionId = (await owner.GetJsonAsync("/api/wallet/transactions")).GetProperty("items")[0].GetProperty("transaction_id").GetInt64();
        var leafIndex = await QueryAsync(db => db.LedgerTransactions.Where(t => t.Id == transactionId).Select(t => t.LeafIndex!.Value).SingleAsync());
        var treeSize = await QueryAsync(db => LedgerTree.SizeAsync(db));

        using var before = await owner.GetAsync($"/api/ledger/proof/inclusion?tx={transactionId}&size={leafIndex}");
        using var beyond = await owner.GetAsync($"/api/ledger/proof/inclusion?tx={transactionId}&size={treeSize + 1}");

        Assert.Equal(leafIndex, (await before.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "size_before_transaction")).GetProperty("leaf_index").GetInt64());
        Assert.Equal(treeSize, (await beyond.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "size_beyond_tree")).GetProperty("tree_size").GetInt64());
    }

    [Fact]
    public async Task Anyone_gets_a_consistency_proof_that_one_checkpoint_extends_an_earlier_one()
    {
        await ApiClient.RegisterUserAsync(app);
        var older = Assert.IsType<CheckpointResult.SignedNow>(await app.SignCheckpointAsync()).Checkpoint;
        await ApiClient.RegisterUserAsync(app);
        await ApiClient.RegisterUserAsync(app);
        var newer = Assert.IsType<CheckpointResult.SignedNow>(await app.SignCheckpointAsync()).Checkpoint;
        using var visitor = ApiClient.For(app);

        var proof = await visitor.GetJsonAsync($"/api/ledger/proof/consistency?from={older.TreeSize}&to={newer.TreeSize}");

        var path = proof.GetProperty("consistency_path").EnumerateArray().Select(h => Decode(h.GetString()!)).ToList();
        Assert.Equal(older.TreeSize, proof.GetProperty("from").GetInt64());
        Assert.True(Merkle.VerifyConsistency(older.TreeSize, newer.TreeSize, Decode(older.RootHash), Decode(newer.RootHash), path));
        Assert.False(Merkle.VerifyConsistency(older.TreeSize, newer.TreeSize, Decode(newer.RootHash), Decode(newer.RootHash), path));
    }

    [Fact]
    public async Task Every_reconciliation_run_is_followed_by_a_checkpoint_naming_it_and_its_discrepancies()
    {
        using var admin = await app.AdminAsync();
        using var response = await admin.PostAsync("/api/admin/reconciliation/run", content: null);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var again = await admin.PostAsync("/api/admin/reconciliation/run", content: null);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();

        var checkpoints = (await admin.GetJsonAsync("/api/ledger/checkpoints?limit=2")).GetProperty("items").EnumerateArray().Select(Checkpoint).ToList();

        Assert.Equal(second.GetProperty("id").GetInt64(), checkpoints[0].GetProperty("reconciliation_run_id").GetInt64());
        Assert.Equal(run.GetProperty("id").GetInt64(), checkpoints[1].GetProperty("reconciliation_run_id").GetInt64());
        Assert.Equal(0, checkpoints[0].GetProperty("discrepancies").GetInt32());
        Assert.Equal(checkpoints[1].GetProperty("tree_size").GetInt64(), checkpoints[0].GetProperty("tree_size").GetInt64());
    }

    private static JsonElement Checkpoint(JsonElement signed) => JsonSerializer.Deserialize<JsonElement>(signed.GetProperty("checkpoint").GetString()!);

    private static byte[] Decode(string text) => StrictBase64Url.TryDecode(text, out var bytes) ? bytes : throw new FormatException(text);

    private async Task<T> QueryAsync<T>(Func<MarketplaceDb, Task<T>> query)
    {
        using var scope = app.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<MarketplaceDb>());
    }

    private static Task<int> SucceededCheckpointJobsAsync(MarketplaceApp app, int count) =>
        Eventually.PollAsync(
            () => Task.FromResult(app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().SucceededJobs(0, 1000).Count(j => j.Value.Job?.Type == typeof(LedgerCheckpointJob))),
            n => n >= count,
            $"{count} succeeded checkpoint jobs");
}
