using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Orders;

/// <summary>Builds intents the way the browser does: one JSON string, signed once, sent unchanged.</summary>
public static class Intents
{
    /// <summary>Icon pack: Line, a digital product at 12.50 MC sold by PixelForge.</summary>
    public static readonly Guid IconPack = new("9d0d0c7a-0000-4000-8000-000000000001");

    /// <summary>Code review (one pull request), a service at 60.00 MC sold by GridWorks.</summary>
    public static readonly Guid CodeReview = new("9d0d0c7a-0000-4000-8000-000000000009");

    public static string NewNonce() => StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(16));

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static string Spend(Guid productId, string amount, int quantity = 1, long? timestamp = null, string? nonce = null, string audience = MarketplaceApp.Origin, string currency = "MC") =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["action"] = "spend",
            ["amount"] = amount,
            ["currency"] = currency,
            ["product_id"] = productId.ToString(),
            ["quantity"] = quantity,
            ["timestamp"] = timestamp ?? Now(),
            ["nonce"] = nonce ?? NewNonce(),
            ["audience"] = audience,
        });

    public static string Transfer(string recipient, string amount, long? timestamp = null, string? nonce = null, string audience = MarketplaceApp.Origin) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["action"] = "transfer",
            ["amount"] = amount,
            ["currency"] = "MC",
            ["recipient"] = recipient,
            ["timestamp"] = timestamp ?? Now(),
            ["nonce"] = nonce ?? NewNonce(),
            ["audience"] = audience,
        });

    /// <summary>Signs <paramref name="intent"/> with <paramref name="signer"/> (the client's own user by default) and posts it.</summary>
    public static Task<HttpResponseMessage> TransactAsync(this ApiClient client, string intent, TestUser? signer = null, string? publicKey = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var user = signer ?? client.User;
        return client.PostJsonAsync("/api/wallet/transact", new { Intent = intent, PublicKey = publicKey ?? user.PublicKey, Signature = user.Sign(intent) });
    }

    /// <summary>Posts a transaction that must succeed with 201 and returns its body.</summary>
    public static async Task<JsonElement> BuyAsync(this ApiClient client, Guid productId, string amount, int quantity = 1)
    {
        using var response = await client.TransactAsync(Spend(productId, amount, quantity));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"Buying answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static ProductKind KindOf(Guid productId) => DemoCatalog.Products.Single(p => p.Id == productId).Kind;
}
