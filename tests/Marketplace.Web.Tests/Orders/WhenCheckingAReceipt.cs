using System.Diagnostics;
using System.Net;
using System.Text;
using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Marketplace.Web.Tests.Hosting;

namespace Marketplace.Web.Tests.Orders;

/// <summary>Receipts verify against the published key with a verifier that shares no code with the app.</summary>
public sealed class WhenCheckingAReceipt(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_receipt_signature_verifies_against_the_published_key()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var bought = await client.BuyAsync(Intents.IconPack, "12.50");

        var publicKey = await PublishedKeyAsync(app);

        Assert.True(await VerifyAsync(publicKey, bought.GetProperty("receipt").GetString()!, bought.GetProperty("receipt_signature").GetString()!));
    }

    [Fact]
    public async Task A_receipt_changed_by_one_character_does_not_verify()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var bought = await client.BuyAsync(Intents.IconPack, "12.50");
        var receipt = bought.GetProperty("receipt").GetString()!;

        var publicKey = await PublishedKeyAsync(app);

        Assert.False(await VerifyAsync(publicKey, receipt.Replace("\"12.50\"", "\"12.51\"", StringComparison.Ordinal), bought.GetProperty("receipt_signature").GetString()!));
    }

    [Fact]
    public async Task The_public_key_is_published_to_anyone_as_32_bytes_of_base64url()
    {
        using var anonymous = ApiClient.For(app);

        var body = await anonymous.GetJsonAsync("/api/receipts/public-key");

        var text = body.GetProperty("public_key").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", text);
        Assert.Equal(32, Decode(text).Length);
    }

    [Fact]
    public async Task The_receipt_states_the_order_the_amount_the_intent_hash_and_the_new_balance()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var intent = Intents.Spend(Intents.IconPack, "12.50");
        using var response = await client.TransactAsync(intent);
        var body = await response.ReadJsonAsync();

        var receipt = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(body.GetProperty("receipt").GetString()!);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(body.GetProperty("order_id").GetString(), receipt.GetProperty("order_id").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(intent))), receipt.GetProperty("intent_sha256").GetString());
        Assert.Equal("12.50", receipt.GetProperty("amount").GetString());
        Assert.Equal("MC", receipt.GetProperty("currency").GetString());
        Assert.Equal((await app.UserIdAsync(client.User.Email)).ToString(), receipt.GetProperty("buyer_id").GetString());
        Assert.Equal(1, receipt.GetProperty("quantity").GetInt32());
        Assert.Equal("987.50", receipt.GetProperty("new_balance").GetString());
        Assert.True(DateTimeOffset.TryParse(receipt.GetProperty("issued_at").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public async Task The_key_survives_a_restart_and_old_receipts_still_verify()
    {
        var data = Directory.CreateTempSubdirectory("marketplace-receipt-key-");
        try
        {
            string receipt, signature, keyBefore;
            using (var first = new AppOnDataDirectory(data))
            {
                using var client = await ApiClient.RegisteredAsync(first);
                var bought = await client.BuyAsync(Intents.IconPack, "12.50");
                (receipt, signature) = (bought.GetProperty("receipt").GetString()!, bought.GetProperty("receipt_signature").GetString()!);
                keyBefore = await PublishedKeyAsync(first);
            }

            using var second = new AppOnDataDirectory(data);
            var keyAfter = await PublishedKeyAsync(second);

            Assert.Equal(keyBefore, keyAfter);
            Assert.True(await VerifyAsync(keyAfter, receipt, signature));
            // Kept in the database for every instance, encrypted by data protection, and no longer in a file.
            using var scope = second.Services.CreateScope();
            var stored = scope.ServiceProvider.GetRequiredService<MarketplaceDb>().ServerKeys.Single(k => k.Name == ReceiptKeys.Name);
            Assert.Equal(keyAfter, stored.PublicKey);
            Assert.StartsWith("CfDJ8", stored.ProtectedValue, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(data.FullName, "keys", "receipt-signing.key")));
        }
        finally
        {
            MarketplaceApp.ReleaseDatabase(data);
            data.Delete(recursive: true);
        }
    }

    private static async Task<string> PublishedKeyAsync(MarketplaceApp app)
    {
        using var anonymous = ApiClient.For(app);
        return (await anonymous.GetJsonAsync("/api/receipts/public-key")).GetProperty("public_key").GetString()!;
    }

    /// <summary>
    /// Node's crypto (OpenSSL) verifies, from the raw key wrapped in its SPKI prefix: no code or library shared
    /// with the app, which signs with libsodium.
    /// </summary>
    private static async Task<bool> VerifyAsync(string publicKey, string receipt, string signature)
    {
        const string Script = """
            const [key, message, sig] = process.argv.slice(1);
            const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(key, "base64url")]);
            const pub = require("crypto").createPublicKey({ key: spki, format: "der", type: "spki" });
            process.stdout.write(String(require("crypto").verify(null, Buffer.from(message, "utf8"), pub, Buffer.from(sig, "base64url"))));
            """;
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        // "--" ends node's options: a base64url key may begin with "-".
        foreach (var argument in new[] { "-e", Script, "--", publicKey, receipt, signature })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node failed ({process.ExitCode}): {await error}");
        return (await output) switch
        {
            "true" => true,
            "false" => false,
            var other => throw new InvalidOperationException($"node printed '{other}'."),
        };
    }

    private static byte[] Decode(string base64Url)
    {
        var base64 = base64Url.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
