using System.Net;
using System.Text.Encodings.Web;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Orders;

public sealed class WhenViewingOrderPages(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_orders_page_lists_the_buyers_purchases_newest_first()
    {
        using var buyer = await WebShopper.RegisterAsync(app);
        await buyer.Api.BuyAsync(Intents.IconPack, "12.50");
        await buyer.Api.BuyAsync(Intents.CodeReview, "60.00");

        var html = await buyer.GetHtmlAsync("/Orders");

        var service = html.IndexOf("Code review (one pull request)", StringComparison.Ordinal);
        var digital = html.IndexOf("Icon pack: Line", StringComparison.Ordinal);
        Assert.True(service > 0 && digital > service, "The service bought second should be listed first.");
        Assert.Contains("Awaiting delivery (credits held)", html, StringComparison.Ordinal);
        Assert.Contains("<td>Completed</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_order_page_carries_the_stored_receipt_for_the_browser_to_verify()
    {
        using var buyer = await WebShopper.RegisterAsync(app);
        var bought = await buyer.Api.BuyAsync(Intents.IconPack, "12.50");
        var orderId = bought.GetProperty("order_id").GetGuid();

        var html = await buyer.GetHtmlAsync($"/Orders/{orderId}");

        var receipt = bought.GetProperty("receipt").GetString()!;
        var signature = bought.GetProperty("receipt_signature").GetString()!;
        Assert.Contains($"data-order-id=\"{orderId}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-receipt-text=\"{HtmlEncoder.Default.Encode(receipt)}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-receipt-signature=\"{signature}\"", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Icon pack: Line</h1>", html, StringComparison.Ordinal);
        Assert.Contains("data-receipt-badge>Checking…</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_users_order_is_not_found()
    {
        using var buyer = await WebShopper.RegisterAsync(app);
        using var stranger = await WebShopper.RegisterAsync(app);
        var orderId = (await buyer.Api.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();

        using var response = await stranger.GetAsync($"/Orders/{orderId}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Icon pack: Line", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_order_is_not_found()
    {
        using var buyer = await WebShopper.RegisterAsync(app);

        using var response = await buyer.GetAsync($"/Orders/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_log_in()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/Orders", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location?.AbsolutePath);
    }
}
