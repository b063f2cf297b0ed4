using System.Net;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Orders;

/// <summary>
/// The intent is parsed before its signature is checked, so anyone signed in can send any text in it: a lone
/// surrogate escape is not Unicode, and is refused as such without touching the wallet.
/// </summary>
public sealed class WhenAnIntentCarriesBrokenText(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Theory]
    [InlineData("nonce", "\\ud800")]
    [InlineData("audience", "\\udc00")]
    [InlineData("amount", "12.50\\ud800")]
    [InlineData("product_id", "\\udbff\\udbff")]
    public async Task A_lone_surrogate_in_a_field_is_refused_as_malformed_json(string field, string escaped)
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var intent = Intents.Spend(Intents.IconPack, "12.50");
        var broken = intent.Replace($"\"{field}\":\"", $"\"{field}\":\"{escaped}", StringComparison.Ordinal);
        Assert.NotEqual(intent, broken);

        using var response = await client.PostJsonAsync("/api/wallet/transact", new { Intent = broken, PublicKey = client.User.PublicKey, Signature = client.User.Sign("not the intent") });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        Assert.Equal("intent", problem.GetProperty("field").GetString());
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task A_lone_surrogate_as_a_field_name_is_refused_too()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var broken = Intents.Spend(Intents.IconPack, "12.50").Replace("\"nonce\":", "\"\\udc00\":", StringComparison.Ordinal);

        using var response = await client.TransactAsync(broken);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        Assert.Equal("1000.00", await client.AvailableAsync());
    }
}
