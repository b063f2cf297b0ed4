using System.Net;
using System.Text.Json;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Seller;

public sealed class WhenASellerHandlesServiceOrders(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_open_order_is_listed_and_marking_it_delivered_pays_the_seller_price_minus_commission()
    {
        using var seller = await WebShopper.RegisterAsync(app);
        using var buyer = await WebShopper.RegisterAsync(app);
        var (orderId, title) = await SellServiceAsync(seller, buyer, "40.00");

        var page = await seller.GetHtmlAsync("/Seller");
        Assert.Contains(title, page, StringComparison.Ordinal);
        Assert.Contains($"action=\"/Seller?id={orderId}&amp;handler=Deliver\"", page, StringComparison.Ordinal);

        using var delivered = await seller.PostFormAsync("/Seller", $"/Seller?id={orderId}&handler=Deliver", []);

        Assert.Equal(HttpStatusCode.Redirect, delivered.StatusCode);
        // Named by what was sold, not by its id (issue 14, defect 7).
        Assert.Contains($"Order for {title} delivered.", await seller.GetHtmlAsync("/Seller"), StringComparison.Ordinal);
        Assert.Equal("1036.00", await seller.AvailableBalanceAsync());
        var buyerBalance = await buyer.Api.GetJsonAsync("/api/wallet/balance");
        Assert.Equal("960.00", buyerBalance.GetProperty("available").GetString());
        Assert.Equal("0.00", buyerBalance.GetProperty("held").GetString());
    }

    [Fact]
    public async Task Another_user_cannot_deliver_or_cancel_the_order_and_nothing_moves()
    {
        using var seller = await WebShopper.RegisterAsync(app);
        using var buyer = await WebShopper.RegisterAsync(app);
        using var stranger = await WebShopper.RegisterAsync(app);
        var (orderId, _) = await SellServiceAsync(seller, buyer, "40.00");

        using var deliver = await stranger.PostFormAsync("/Seller", $"/Seller?id={orderId}&handler=Deliver", []);
        using var cancel = await stranger.PostFormAsync("/Seller", $"/Seller?id={orderId}&handler=Cancel", []);
        using var byBuyer = await buyer.PostFormAsync("/Seller", $"/Seller?id={orderId}&handler=Cancel", []);

        Assert.Equal(HttpStatusCode.NotFound, deliver.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byBuyer.StatusCode);
        var order = await buyer.Api.GetJsonAsync($"/api/orders/{orderId}");
        Assert.Equal("awaiting_delivery", order.GetProperty("status").GetString());
        Assert.Equal("1000.00", await stranger.AvailableBalanceAsync());
        Assert.Equal("1000.00", await seller.AvailableBalanceAsync());
    }

    [Fact]
    public async Task Cancelling_returns_the_credits_and_a_later_delivery_changes_nothing()
    {
        using var seller = await WebShopper.RegisterAsync(app);
        using var buyer = await WebShopper.RegisterAsync(app);
        var (orderId, _) = await SellServiceAsync(seller, buyer, "15.50");

        using var asked = await seller.PostFormAsync("/Seller", $"/Seller?id={orderId}&handler=Cancel", []);
        var confirmation = await asked.Content.ReadAsStringAsync();
        Assert.Equal("984.50", await buyer.AvailableBalanceAsync());
        using var cancelled = await seller.PostFormAsync("/Seller", $"/Seller?id={orderId}&handler=Cancel", [new("confirmed", "yes")]);
        using var lateDelivery = await seller.PostFormAsync("/Seller", $"/Seller?id={orderId}&handler=Deliver", []);

        // The first post only asks (issue 14, defect 7): a server-rendered step that names the order and what follows.
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Matches("<h2 id=\"confirm-step-heading\">Cancel the order for Service [0-9a-f]{32}\\?</h2>", confirmation);
        Assert.Contains("gets the 15.50 MC held for it back", confirmation, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"confirmed\" value=\"yes\" />", confirmation, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, lateDelivery.StatusCode);
        Assert.Contains("is already cancelled (credits returned); nothing changed.", await seller.GetHtmlAsync("/Seller"), StringComparison.Ordinal);
        Assert.Equal("1000.00", await buyer.AvailableBalanceAsync());
        Assert.Equal("1000.00", await seller.AvailableBalanceAsync());
    }

    /// <summary>The seller lists a service through the page; the buyer buys it with a signed intent.</summary>
    private static async Task<(Guid OrderId, string Title)> SellServiceAsync(WebShopper seller, WebShopper buyer, string price)
    {
        var title = $"Service {Guid.NewGuid():N}";
        using var listed = await seller.PostFormAsync("/Seller", "/Seller?handler=List",
            [new("title", title), new("description", "A test service."), new("price", price), new("kind", "Service")]);
        Assert.Equal(HttpStatusCode.Redirect, listed.StatusCode);
        var found = await buyer.Api.GetJsonAsync($"/api/products?search={Uri.EscapeDataString(title)}");
        var productId = found.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
        JsonElement bought = await buyer.Api.BuyAsync(productId, price);
        return (bought.GetProperty("order_id").GetGuid(), title);
    }
}
