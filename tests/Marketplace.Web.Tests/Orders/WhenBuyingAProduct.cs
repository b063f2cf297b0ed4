using System.Net;
using System.Text.Json;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Orders;

public sealed class WhenBuyingAProduct(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_buyer_is_charged_and_gets_a_signed_receipt_for_the_order()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        var body = await client.BuyAsync(Intents.IconPack, "12.50");

        Assert.Equal("987.50", body.GetProperty("new_balance").GetString());
        Assert.Equal("987.50", await client.AvailableAsync());
        var receipt = JsonSerializer.Deserialize<JsonElement>(body.GetProperty("receipt").GetString()!);
        Assert.Equal(body.GetProperty("order_id").GetString(), receipt.GetProperty("order_id").GetString());
        Assert.Equal("12.50", receipt.GetProperty("amount").GetString());
        Assert.Equal("987.50", receipt.GetProperty("new_balance").GetString());
        Assert.Equal(Intents.IconPack.ToString(), receipt.GetProperty("product_id").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("receipt_signature").GetString()));
    }

    [Fact]
    public async Task The_order_is_listed_with_its_receipt()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var bought = await client.BuyAsync(Intents.IconPack, "12.50");
        var orderId = bought.GetProperty("order_id").GetString();

        var list = await client.GetJsonAsync("/api/orders");
        var detail = await client.GetJsonAsync($"/api/orders/{orderId}");

        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(orderId, item.GetProperty("order_id").GetString());
        Assert.Equal("completed", detail.GetProperty("status").GetString());
        Assert.Equal("digital", detail.GetProperty("kind").GetString());
        Assert.Equal("Icon pack: Line", detail.GetProperty("product_name").GetString());
        Assert.Equal(bought.GetProperty("receipt").GetString(), detail.GetProperty("receipt").GetString());
        Assert.Equal(bought.GetProperty("receipt_signature").GetString(), detail.GetProperty("receipt_signature").GetString());
    }

    [Fact]
    public async Task Sending_the_same_signed_intent_again_returns_the_same_receipt_and_charges_once()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var intent = Intents.Spend(Intents.IconPack, "12.50");
        var signature = client.User.Sign(intent);
        var request = new { Intent = intent, client.User.PublicKey, Signature = signature };

        using var first = await client.PostJsonAsync("/api/wallet/transact", request);
        using var second = await client.PostJsonAsync("/api/wallet/transact", request);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await first.ReadJsonAsync();
        var b = await second.ReadJsonAsync();
        Assert.Equal(a.GetProperty("receipt").GetString(), b.GetProperty("receipt").GetString());
        Assert.Equal(a.GetProperty("receipt_signature").GetString(), b.GetProperty("receipt_signature").GetString());
        Assert.Equal(a.GetProperty("order_id").GetString(), b.GetProperty("order_id").GetString());
        Assert.Equal("987.50", b.GetProperty("new_balance").GetString());
        Assert.Equal("987.50", await client.AvailableAsync());
        Assert.Single((await client.GetJsonAsync("/api/orders")).GetProperty("items").EnumerateArray());
    }
}
