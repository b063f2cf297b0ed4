using System.Net;
using Htmx;

namespace Marketplace.Web.Tests.Wallet;

public sealed class WhenOpeningTheWallet(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_log_in()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/Wallet", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task A_new_shopper_sees_the_welcome_grant_as_balance_and_history()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync("/Wallet");

        Assert.Contains("<h2 id=\"wallet-balance-heading\">Wallet balance</h2>", html, StringComparison.Ordinal);
        Assert.Contains("1,000.00 MC", html, StringComparison.Ordinal);
        Assert.Contains("<caption>Transaction history</caption>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Welcome credits</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Load more", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_balance_handler_answers_htmx_with_only_the_balance_card()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.GetAsync("/Wallet?handler=Balance", htmx: true);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(HtmxRequestHeaders.Keys.Request, response.Headers.Vary);
        Assert.StartsWith("<section id=\"wallet-balance\"", html.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("hx-trigger=\"balance-poll from:body, balance-changed from:body\"", html, StringComparison.Ordinal);
        Assert.Contains("1,000.00 MC", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_balance_handler_sends_a_full_page_request_to_the_wallet()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.GetAsync("/Wallet?handler=Balance");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Wallet", response.Headers.Location?.OriginalString);
    }
}
