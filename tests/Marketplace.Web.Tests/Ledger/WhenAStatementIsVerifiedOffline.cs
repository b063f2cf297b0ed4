using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.Verify;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Ledger;

/// <summary>
/// A shopper who was welcomed, topped up through the demo checkout, bought a digital product and a service, sent
/// credits and received some, saving a checkpoint on the way; then downloads the verifiable statement.
/// </summary>
public sealed class StatementApp : MarketplaceApp, IAsyncLifetime
{
    public WebShopper Shopper { get; private set; } = null!;

    /// <summary>GET /api/ledger/checkpoints/latest as saved after the top-up, before the purchases.</summary>
    public byte[] SavedCheckpoint { get; private set; } = [];

    public byte[] Statement { get; private set; } = [];

    /// <summary>The same, downloaded with the saved checkpoint's tree size, so it carries the consistency proof from it.</summary>
    public byte[] StatementSinceSaved { get; private set; } = [];

    public string PublicKey { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Shopper = await WebShopper.RegisterAsync(this);
        await VerifyEmailAsync(Shopper.Api.User.Email);
        using var friend = await ApiClient.VerifiedAsync(this);

        var payment = await Shopper.StartDemoTopUpAsync("25.00");
        var checkout = $"/payments/demo/{payment}";
        using (await Shopper.PostFormAsync(checkout, checkout, [new("card_number", "4242 4242 4242 4242")]))
        {
            Assert.Equal("succeeded", await Shopper.FinalPaymentStatusAsync(payment));
        }

        _ = await this.SignCheckpointAsync();
        SavedCheckpoint = await this.SaveLatestCheckpointAsync();

        await Shopper.Api.BuyAsync(Intents.IconPack, "12.50");
        await Shopper.Api.BuyAsync(Intents.CodeReview, "60.00");
        using (var sent = await Shopper.Api.TransactAsync(Intents.Transfer(friend.User.Email, "5.00")))
        {
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        }

        using (var received = await friend.TransactAsync(Intents.Transfer(Shopper.Api.User.Email, "7.00")))
        {
            Assert.Equal(HttpStatusCode.Created, received.StatusCode);
        }

        Statement = await Shopper.DownloadVerifiableStatementAsync();
        StatementSinceSaved = await Shopper.DownloadVerifiableStatementAsync(since: LedgerTesting.TreeSize(SavedCheckpoint));
        PublicKey = await this.PublicKeyAsync();
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        Shopper.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class WhenAStatementIsVerifiedOffline(StatementApp app) : IClassFixture<StatementApp>
{
    private static readonly string[] Checks = ["file", "public key", "checkpoint signature", "transactions", "inclusion", "receipts", "balances", "statement signature"];

    [Fact]
    public void It_verifies_with_the_published_key_one_line_per_check()
    {
        var (exitCode, output) = LedgerTesting.Verify(app.Statement, app.PublicKey);

        Assert.True(exitCode == 0, output);
        var lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(Checks.Select(c => $"PASS {c}"), lines.Take(Checks.Length).Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal("All checks passed.", lines[^1]);
        Assert.Contains("6 transactions, 3 receipts", lines[0], StringComparison.Ordinal);
        Assert.Contains("available 0.00 → 954.50, held 0.00 → 60.00", output, StringComparison.Ordinal);
    }

    [Fact]
    public void It_holds_the_users_transactions_with_canonical_bytes_entries_proofs_receipts_and_the_checkpoint()
    {
        var file = JsonSerializer.Deserialize<JsonElement>(app.Statement);

        var transactions = file.GetProperty("transactions").EnumerateArray().ToList();
        Assert.Equal(6, transactions.Count);
        Assert.All(transactions, t => Assert.StartsWith($"ledger-v1|{t.GetProperty("transaction_id").GetInt64()}|", t.GetProperty("canonical").GetString(), StringComparison.Ordinal));
        Assert.All(transactions, t => Assert.NotEmpty(t.GetProperty("inclusion_path").EnumerateArray()));
        Assert.Equal(3, file.GetProperty("receipts").GetArrayLength());
        Assert.Equal(app.PublicKey, file.GetProperty("public_key").GetString());
        var checkpoint = JsonSerializer.Deserialize<JsonElement>(file.GetProperty("checkpoint").GetProperty("checkpoint").GetString()!);
        Assert.True(checkpoint.GetProperty("tree_size").GetInt64() > transactions.Max(t => t.GetProperty("leaf_index").GetInt64()));

        // The friend's side of each transfer is in the canonical bytes, but their balance is not in the file.
        var transfer = transactions.Single(t => t.GetProperty("canonical").GetString()!.Contains("|30|", StringComparison.Ordinal) && t.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("amount").GetString() == "-5.00"));
        Assert.Single(transfer.GetProperty("entries").EnumerateArray(), e => e.TryGetProperty("balance_after", out _));
    }

    [Fact]
    public void Editing_any_byte_of_a_name_or_value_fails_verification_naming_the_check()
    {
        var passed = new List<string>();
        var failedChecks = new HashSet<string>();
        var edits = 0;
        foreach (var token in LedgerTesting.Tokens(app.Statement))
        {
            for (var at = token.Start; at < token.Start + token.Length; at++)
            {
                var (exitCode, output) = LedgerTesting.Verify(LedgerTesting.EditByte(app.Statement, at), app.PublicKey);
                edits++;
                if (exitCode != 1 || LedgerTesting.FailedCheck(output) is not { } check)
                {
                    passed.Add($"{token.Path}{(token.IsName ? " (name)" : "")} byte {at - token.Start}: exit {exitCode}");
                    continue;
                }

                failedChecks.Add(check);
            }
        }

        Assert.True(passed.Count == 0, $"{passed.Count} of {edits} one-byte edits were not caught:\n" + string.Join('\n', passed.Take(40)));
        Assert.True(edits > 3_000, $"only {edits} edits");
        Assert.Superset(new HashSet<string>(Checks.Where(c => c != "public key")), failedChecks);
    }

    [Theory]
    [InlineData("transactions[1].canonical", "topup:", false, "inclusion")]
    [InlineData("transactions[1].canonical", ":-", false, "transactions")]
    [InlineData("transactions[2].inclusion_path[0]", null, false, "inclusion")]
    [InlineData("transactions[2].transaction_id", null, false, "transactions")]
    [InlineData("transactions[2].entries[0].amount", "", false, "transactions")]
    [InlineData("receipts[0].receipt", "amount", false, "receipts")]
    [InlineData("receipts[1].signature", null, false, "receipts")]
    [InlineData("receipts[2].transaction_id", null, false, "receipts")]
    [InlineData("checkpoint.checkpoint", "tree_size", false, "checkpoint signature")]
    [InlineData("checkpoint.signature", null, false, "checkpoint signature")]
    [InlineData("statement", "opening_balance", false, "balances")]
    [InlineData("statement", "transaction_ids", false, "statement signature")]
    public void An_edit_fails_at_the_check_that_covers_it(string path, string? marker, bool lastByte, string check)
    {
        var edited = LedgerTesting.EditByte(app.Statement, LedgerTesting.PositionIn(app.Statement, path, marker, lastByte));

        var (exitCode, output) = LedgerTesting.Verify(edited, app.PublicKey);

        Assert.Equal(1, exitCode);
        Assert.Equal(check, LedgerTesting.FailedCheck(output));
    }

    [Fact]
    public void A_balance_after_edited_on_one_of_the_users_entries_fails_the_balances()
    {
        var entry = LedgerTesting.Tokens(app.Statement).First(t => t.Path.EndsWith(".balance_after", StringComparison.Ordinal) && !t.IsName);

        var (exitCode, output) = LedgerTesting.Verify(LedgerTesting.EditByte(app.Statement, entry.Start), app.PublicKey);

        Assert.Equal(1, exitCode);
        Assert.Equal("balances", LedgerTesting.FailedCheck(output));
    }

    [Fact]
    public void Another_key_given_on_the_command_line_fails_at_the_public_key()
    {
        var (exitCode, output) = LedgerTesting.Verify(app.Statement, TestUser.New().PublicKey);

        Assert.Equal(1, exitCode);
        Assert.Equal("public key", LedgerTesting.FailedCheck(output));
        Assert.DoesNotContain("PASS checkpoint", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_saved_checkpoint_is_extended_by_the_statements_checkpoint()
    {
        var (exitCode, output) = LedgerTesting.Verify(app.StatementSinceSaved, app.PublicKey, app.SavedCheckpoint);

        Assert.True(exitCode == 0, output);
        Assert.Contains("PASS previous checkpoint signature:", output, StringComparison.Ordinal);
        Assert.Contains("PASS consistency:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consistency_proof_fetched_from_the_api_and_added_to_the_file_serves_as_well()
    {
        var (withoutProof, missing) = LedgerTesting.Verify(app.Statement, app.PublicKey, app.SavedCheckpoint);
        Assert.Equal(1, withoutProof);
        Assert.Equal("consistency", LedgerTesting.FailedCheck(missing));
        Assert.Contains("no consistency proof", missing, StringComparison.Ordinal);

        var file = JsonNode.Parse(app.Statement)!;
        var checkpoint = JsonNode.Parse(file["checkpoint"]!["checkpoint"]!.GetValue<string>())!;
        using var client = app.CreateBrowserClient();
        var proof = await client.GetStringAsync(new Uri($"/api/ledger/proof/consistency?from={LedgerTesting.TreeSize(app.SavedCheckpoint)}&to={checkpoint["tree_size"]}", UriKind.Relative));
        file["consistency_proofs"]!.AsArray().Add(JsonNode.Parse(proof));

        var (exitCode, output) = LedgerTesting.Verify(Encoding.UTF8.GetBytes(file.ToJsonString()), app.PublicKey, app.SavedCheckpoint);

        Assert.True(exitCode == 0, output);
        Assert.Contains("PASS consistency:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_saved_checkpoint_with_a_forged_tree_fails_its_signature()
    {
        var text = Encoding.UTF8.GetString(app.SavedCheckpoint);
        var forged = Encoding.UTF8.GetBytes(text.Replace("tree_size\\u0022:", "tree_size\\u0022:1", StringComparison.Ordinal).Replace("tree_size\\\":", "tree_size\\\":1", StringComparison.Ordinal));
        Assert.NotEqual(app.SavedCheckpoint, forged);

        var (exitCode, output) = LedgerTesting.Verify(app.StatementSinceSaved, app.PublicKey, forged);

        Assert.Equal(1, exitCode);
        Assert.Equal("previous checkpoint signature", LedgerTesting.FailedCheck(output));
    }

    [Fact]
    public async Task The_command_reads_the_file_and_exits_0_and_1_on_an_edited_copy()
    {
        var directory = Directory.CreateTempSubdirectory("marketplace-verify-");
        try
        {
            var original = Path.Combine(directory.FullName, "statement.json");
            var edited = Path.Combine(directory.FullName, "edited.json");
            await File.WriteAllBytesAsync(original, app.Statement);
            await File.WriteAllBytesAsync(edited, LedgerTesting.EditByte(app.Statement, LedgerTesting.PositionIn(app.Statement, "transactions[0].canonical", "welcome:")));

            var (passed, passedOutput) = await RunCommandAsync(original, "--public-key", app.PublicKey);
            var (failed, failedOutput) = await RunCommandAsync(edited);

            Assert.True(passed == 0, passedOutput);
            Assert.EndsWith("All checks passed.", passedOutput.TrimEnd(), StringComparison.Ordinal);
            Assert.Equal(1, failed);
            Assert.Equal("inclusion", LedgerTesting.FailedCheck(failedOutput));
            Assert.Equal(2, (await RunCommandAsync(original, "--no-such-option")).ExitCode);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_verifier_has_no_way_to_reach_the_network_or_the_app()
    {
        var references = typeof(StatementVerifier).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("System.Net", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("Marketplace.", StringComparison.Ordinal));
        Assert.Contains("NSec.Cryptography", references);
    }

    /// <summary>The built verifier as its own process, the way <c>dotnet run --project tools/Marketplace.Verify</c> ends up running it.</summary>
    private static async Task<(int ExitCode, string Output)> RunCommandAsync(params string[] args)
    {
        var assembly = typeof(StatementVerifier).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(Path.ChangeExtension(assembly, ".runtimeconfig.json"));
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
