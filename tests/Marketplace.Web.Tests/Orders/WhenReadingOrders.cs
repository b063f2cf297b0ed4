using System.Net;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Orders;

public sealed class WhenReadingOrders(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task Orders_are_listed_newest_first()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var first = (await client.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetString();
        var second = (await client.BuyAsync(Intents.CodeReview, "60.00")).GetProperty("order_id").GetString();

        var items = (await client.GetJsonAsync("/api/orders")).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal([second, first], items.Select(i => i.GetProperty("order_id").GetString()));
        Assert.Equal(["service", "digital"], items.Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal("60.00", items[0].GetProperty("total").GetString());
    }

    [Fact]
    public async Task Another_users_order_is_not_found()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        using var other = await ApiClient.RegisteredAsync(app);
        var orderId = (await owner.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetString();

        using var response = await other.GetAsync($"/api/orders/{orderId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "order_not_found");
        Assert.Empty((await other.GetJsonAsync("/api/orders")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_order_id_that_is_not_an_id_is_not_found()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.GetAsync("/api/orders/12345");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "order_not_found");
    }

    [Fact]
    public async Task Signed_out_orders_answer_401()
    {
        using var client = ApiClient.For(app);

        using var response = await client.GetAsync("/api/orders");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
    }

    [Fact]
    public async Task History_shows_the_purchase_above_the_welcome_grant()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        await client.BuyAsync(Intents.IconPack, "12.50");

        var history = await client.HistoryAsync();

        Assert.Equal(["purchase", "welcome_grant"], history.Select(h => h.GetProperty("kind").GetString()));
        Assert.Equal(("-12.50", "Purchase: Icon pack: Line"), (history[0].GetProperty("amount").GetString(), history[0].GetProperty("description").GetString()));
    }
}
