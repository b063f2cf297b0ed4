using System.Net;
using Htmx;

namespace Marketplace.Web.Tests.Wallet;

public sealed class WhenShowingTheHeaderBalance(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task Every_page_shows_a_signed_in_user_their_available_balance_refreshing_on_each_poll_and_change()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync("/");

        Assert.Contains("<a href=\"/Wallet\">Balance: <strong>1,000.00 MC</strong></a>", html, StringComparison.Ordinal);
        // The hx-get after the other attributes, where Htmx.TagHelpers wrote it (the component now writes it out itself).
        Assert.Contains("<span id=\"header-balance\" hx-trigger=\"balance-poll from:body, balance-changed from:body\" hx-swap=\"outerHTML\" hx-get=\"/Wallet/HeaderBalance\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_out_visitor_sees_no_balance()
    {
        using var client = app.CreateBrowserClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.DoesNotContain("header-balance", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_refresh_answers_htmx_with_only_the_balance()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.GetAsync("/Wallet/HeaderBalance", htmx: true);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(HtmxRequestHeaders.Keys.Request, response.Headers.Vary);
        Assert.StartsWith("<span id=\"header-balance\"", html.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("1,000.00 MC", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_refresh_sends_a_full_page_request_to_the_wallet()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.GetAsync("/Wallet/HeaderBalance");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Wallet", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_top_up_that_succeeded_tells_the_page_the_balance_changed()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");
        using var pending = await shopper.GetAsync($"/payments/{paymentId}?handler=Status", htmx: true);
        using var paid = await shopper.PostFormAsync($"/payments/demo/{paymentId}", $"/payments/demo/{paymentId}", [new("card_number", "4242 4242 4242 4242")]);
        await shopper.FinalPaymentStatusAsync(paymentId);

        using var succeeded = await shopper.GetAsync($"/payments/{paymentId}?handler=Status", htmx: true);

        Assert.False(pending.Headers.Contains(HtmxResponseHeaders.Keys.Trigger));
        // On body: the status element that asked has been swapped out by the time htmx fires it.
        Assert.Equal("{\"balance-changed\":{\"target\":\"body\"}}", Assert.Single(succeeded.Headers.GetValues(HtmxResponseHeaders.Keys.Trigger)));
    }
}
