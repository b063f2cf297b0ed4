using System.Net;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>Issue 14, defect 9: the smaller things a visitor meets.</summary>
public sealed class WhenLookingForTheSmallThings(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_favicon_is_an_icon_not_a_404()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/favicon.ico", UriKind.Relative));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, bytes[..4]);
    }

    [Fact]
    public async Task The_catalogs_result_count_is_a_live_region_that_htmx_fills_out_of_band()
    {
        using var client = app.CreateBrowserClient();

        var page = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/?search=voice", UriKind.Relative));
        request.Headers.Add("HX-Request", "true");
        using var response = await client.SendAsync(request);
        var fragment = await response.Content.ReadAsStringAsync();

        Assert.Matches("<p id=\"result-count\" class=\"result-count\" role=\"status\">\\d+ products</p>", page);
        Assert.Contains("<p id=\"result-count\" hx-swap-oob=\"innerHTML\">1 product</p>", fragment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waiting_payment_page_says_it_updates_by_itself_only_when_script_can_do_it()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("5.00");

        var html = await shopper.GetHtmlAsync($"/payments/{paymentId}");

        Assert.Contains("<span data-js-only hidden>This page updates by itself.</span>", html, StringComparison.Ordinal);
        Assert.Contains("Refresh the status</a> to see whether it went through.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wallet_history_rows_link_to_their_orders_and_statement_dates_are_iso()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var order = (await shopper.Api.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();

        var html = await shopper.GetHtmlAsync("/Wallet");

        Assert.Contains($"<a href=\"/Orders/{order}\">Purchase: Icon pack: Line</a>", html, StringComparison.Ordinal);
        Assert.Matches("<input id=\"statement_from\" name=\"from\" type=\"text\"[^>]*placeholder=\"YYYY-MM-DD\"[^>]*value=\"\\d{4}-\\d{2}-\\d{2}\"", html);
    }
}
