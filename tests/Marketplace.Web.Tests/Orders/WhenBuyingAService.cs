using System.Net;
using System.Text.Json;
using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Orders;

/// <summary>Acceptance scenario 7: a service purchase holds the credits; the seller delivers (settled with commission) or cancels (released).</summary>
public sealed class WhenBuyingAService(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_credits_are_held_and_the_seller_is_not_paid_yet()
    {
        var (seller, _, product) = await SellerWithServiceAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);

        var bought = await buyer.BuyAsync(product, "60.00");

        Assert.Equal("940.00", bought.GetProperty("new_balance").GetString());
        Assert.Equal(("940.00", "60.00"), await buyer.BalanceAsync());
        Assert.Equal(("1000.00", "0.00"), await seller.BalanceAsync());
        var receipt = JsonSerializer.Deserialize<JsonElement>(bought.GetProperty("receipt").GetString()!);
        Assert.Equal(("service", "awaiting_delivery"), (receipt.GetProperty("kind").GetString(), receipt.GetProperty("status").GetString()));
        var order = await buyer.GetJsonAsync($"/api/orders/{bought.GetProperty("order_id").GetString()}");
        Assert.Equal("awaiting_delivery", order.GetProperty("status").GetString());
        var expiresAt = order.GetProperty("hold_expires_at").GetDateTime().ToUniversalTime();
        Assert.Equal(DateTime.UtcNow.AddDays(7), expiresAt, TimeSpan.FromMinutes(1));
        var open = await seller.GetJsonAsync("/api/seller/orders?status=awaiting_delivery");
        Assert.Equal(bought.GetProperty("order_id").GetString(), Assert.Single(open.GetProperty("items").EnumerateArray()).GetProperty("order_id").GetString());
        seller.Dispose();
    }

    [Fact]
    public async Task Delivering_pays_the_seller_the_price_minus_commission_and_the_platform_the_commission()
    {
        var (seller, sellerId, product) = await SellerWithServiceAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var orderId = (await buyer.BuyAsync(product, "60.00")).GetProperty("order_id").GetString();
        var revenueBefore = await app.BalanceUnitsAsync(AccountCodes.Revenue);

        using var delivered = await seller.PostAsync($"/api/seller/orders/{orderId}/deliver", body: null, contentType: null);

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("delivered", (await delivered.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(1054_00, await app.AvailableUnitsAsync(sellerId));
        Assert.Equal(6_00, await app.BalanceUnitsAsync(AccountCodes.Revenue) - revenueBefore);
        Assert.Equal(("940.00", "0.00"), await buyer.BalanceAsync());
        Assert.Equal("delivered", (await buyer.GetJsonAsync($"/api/orders/{orderId}")).GetProperty("status").GetString());
        await app.AssertLedgerConsistentAsync();
        seller.Dispose();
    }

    [Fact]
    public async Task Delivering_twice_pays_once_and_answers_the_same()
    {
        var (seller, sellerId, product) = await SellerWithServiceAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var orderId = (await buyer.BuyAsync(product, "60.00")).GetProperty("order_id").GetString();

        using var first = await seller.PostAsync($"/api/seller/orders/{orderId}/deliver", body: null, contentType: null);
        using var second = await seller.PostAsync($"/api/seller/orders/{orderId}/deliver", body: null, contentType: null);
        using var cancelAfter = await seller.PostAsync($"/api/seller/orders/{orderId}/cancel", body: null, contentType: null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("delivered", (await second.ReadJsonAsync()).GetProperty("status").GetString());
        await cancelAfter.AssertProblemAsync(HttpStatusCode.Conflict, "order_delivered");
        Assert.Equal(1054_00, await app.AvailableUnitsAsync(sellerId));
        Assert.Equal(("940.00", "0.00"), await buyer.BalanceAsync());
        seller.Dispose();
    }

    [Fact]
    public async Task Cancelling_returns_the_credits_to_the_buyer_once_and_delivery_is_then_refused()
    {
        var (seller, sellerId, product) = await SellerWithServiceAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var orderId = (await buyer.BuyAsync(product, "60.00")).GetProperty("order_id").GetString();

        using var cancelled = await seller.PostAsync($"/api/seller/orders/{orderId}/cancel", body: null, contentType: null);
        using var again = await seller.PostAsync($"/api/seller/orders/{orderId}/cancel", body: null, contentType: null);
        using var deliverAfter = await seller.PostAsync($"/api/seller/orders/{orderId}/deliver", body: null, contentType: null);

        Assert.Equal("cancelled", (await cancelled.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await deliverAfter.AssertProblemAsync(HttpStatusCode.Conflict, "order_cancelled");
        Assert.Equal(("1000.00", "0.00"), await buyer.BalanceAsync());
        Assert.Equal(1000_00, await app.AvailableUnitsAsync(sellerId));
        var history = await buyer.HistoryAsync();
        Assert.Equal(["hold_release", "hold", "welcome_grant"], history.Select(h => h.GetProperty("kind").GetString()));
        await app.AssertLedgerConsistentAsync();
        seller.Dispose();
    }

    [Fact]
    public async Task A_partial_delivery_pays_the_delivered_part_and_returns_the_rest()
    {
        var (seller, sellerId, product) = await SellerWithServiceAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var orderId = (await buyer.BuyAsync(product, "60.00")).GetProperty("order_id").GetString();
        var revenueBefore = await app.BalanceUnitsAsync(AccountCodes.Revenue);

        using var tooMuch = await seller.PostJsonAsync($"/api/seller/orders/{orderId}/deliver", new { Amount = "60.01" });
        using var delivered = await seller.PostJsonAsync($"/api/seller/orders/{orderId}/deliver", new { Amount = "30.00" });

        await tooMuch.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "amount_exceeds_order");
        Assert.Equal("30.00", (await delivered.ReadJsonAsync()).GetProperty("settled").GetString());
        Assert.Equal(1027_00, await app.AvailableUnitsAsync(sellerId));
        Assert.Equal(3_00, await app.BalanceUnitsAsync(AccountCodes.Revenue) - revenueBefore);
        Assert.Equal(("970.00", "0.00"), await buyer.BalanceAsync());
        await app.AssertLedgerConsistentAsync();
        seller.Dispose();
    }

    [Fact]
    public async Task Someone_other_than_the_seller_gets_404_and_changes_nothing()
    {
        var (seller, _, product) = await SellerWithServiceAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        using var stranger = await ApiClient.RegisteredAsync(app);
        var orderId = (await buyer.BuyAsync(product, "60.00")).GetProperty("order_id").GetString();

        using var strangerDelivers = await stranger.PostAsync($"/api/seller/orders/{orderId}/deliver", body: null, contentType: null);
        using var strangerCancels = await stranger.PostAsync($"/api/seller/orders/{orderId}/cancel", body: null, contentType: null);
        using var buyerDelivers = await buyer.PostAsync($"/api/seller/orders/{orderId}/deliver", body: null, contentType: null);
        using var unknown = await seller.PostAsync($"/api/seller/orders/{Guid.NewGuid()}/deliver", body: null, contentType: null);
        using var notAnId = await seller.PostAsync("/api/seller/orders/not-an-id/cancel", body: null, contentType: null);

        await strangerDelivers.AssertProblemAsync(HttpStatusCode.NotFound, "order_not_found");
        await strangerCancels.AssertProblemAsync(HttpStatusCode.NotFound, "order_not_found");
        await buyerDelivers.AssertProblemAsync(HttpStatusCode.NotFound, "order_not_found");
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "order_not_found");
        await notAnId.AssertProblemAsync(HttpStatusCode.NotFound, "order_not_found");
        Assert.Equal(("940.00", "60.00"), await buyer.BalanceAsync());
        seller.Dispose();
    }

    [Fact]
    public async Task A_digital_order_cannot_be_delivered_or_cancelled()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        var product = await app.ListProductAsync(await app.UserIdAsync(seller.User.Email), "8.00");
        using var buyer = await ApiClient.RegisteredAsync(app);
        var orderId = (await buyer.BuyAsync(product, "8.00")).GetProperty("order_id").GetString();

        using var deliver = await seller.PostAsync($"/api/seller/orders/{orderId}/deliver", body: null, contentType: null);
        using var cancel = await seller.PostAsync($"/api/seller/orders/{orderId}/cancel", body: null, contentType: null);

        await deliver.AssertProblemAsync(HttpStatusCode.Conflict, "not_a_service_order");
        await cancel.AssertProblemAsync(HttpStatusCode.Conflict, "not_a_service_order");
        Assert.Equal("1007.20", await seller.AvailableAsync());
    }

    [Fact]
    public async Task Deliver_and_cancel_racing_resolve_the_order_one_way_only()
    {
        var (seller, sellerId, product) = await SellerWithServiceAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var orderId = (await buyer.BuyAsync(product, "60.00")).GetProperty("order_id").GetString();
        await seller.CsrfTokenAsync();

        var statuses = await Concurrently.RunAsync(10, async i =>
        {
            using var response = await seller.PostAsync($"/api/seller/orders/{orderId}/{(i % 2 == 0 ? "deliver" : "cancel")}", body: null, contentType: null);
            return response.StatusCode;
        });

        var status = (await buyer.GetJsonAsync($"/api/orders/{orderId}")).GetProperty("status").GetString();
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Conflict));
        var (sellerUnits, buyerBalance) = status == "delivered" ? (1054_00, "940.00") : (1000_00, "1000.00");
        Assert.Equal(sellerUnits, await app.AvailableUnitsAsync(sellerId));
        Assert.Equal((buyerBalance, "0.00"), await buyer.BalanceAsync());
        await app.AssertLedgerConsistentAsync();
        seller.Dispose();
    }

    /// <summary>A registered seller (who got the welcome 1,000.00) listing a 60.00 service.</summary>
    private async Task<(ApiClient Seller, Guid SellerId, Guid ProductId)> SellerWithServiceAsync()
    {
        var seller = await ApiClient.RegisteredAsync(app);
        var sellerId = await app.UserIdAsync(seller.User.Email);
        return (seller, sellerId, await app.ListProductAsync(sellerId, "60.00", ProductKind.Service));
    }
}
