using System.Net;

namespace Marketplace.Web.Tests.Wallet;

public sealed class WhenBuyingCredits(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task A_valid_amount_redirects_to_the_demo_checkout()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.PostFormAsync("/Wallet", "/Wallet?handler=BuyCredits", [new("amount", "25.00"), new("currency", "USD"), new("gateway", "demo")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Matches("^http://localhost/payments/demo/[0-9a-f-]{36}$", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_bad_amount_renders_the_wallet_with_the_error_beside_the_field_and_the_dialog_open()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.PostFormAsync("/Wallet", "/Wallet?handler=BuyCredits", [new("amount", "lots"), new("currency", "USD"), new("gateway", "demo")]);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<p id=\"amount-error\" role=\"alert\">Amount must be a decimal number such as 25.00.</p>", html, StringComparison.Ordinal);
        // The error summary at the top of the form, where focus.js puts focus, links to the field.
        Assert.Matches("data-error-summary>\\s*<h2 id=\"error-summary-heading\">There is a problem</h2>\\s*<ul>\\s*<li>\\s*<a href=\"#amount\">Amount must be a decimal number such as 25.00.</a>", html);
        Assert.Matches("<dialog id=\"buy-credits\"[^>]* open=\"open\"", html);
        Assert.Contains("value=\"lots\"", html, StringComparison.Ordinal);
        Assert.Equal("1000.00", await shopper.AvailableBalanceAsync());
    }

    [Fact]
    public async Task Without_script_the_buy_link_renders_the_dialog_open()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var closed = await shopper.GetHtmlAsync("/Wallet");
        var opened = await shopper.GetHtmlAsync("/Wallet?buy=true");

        Assert.DoesNotMatch("<dialog id=\"buy-credits\"[^>]* open=", closed);
        Assert.Matches("<dialog id=\"buy-credits\"[^>]* open=\"open\"", opened);
    }

    [Theory]
    [InlineData("25.00", "USD", "25.00 USD → 25.00 MC")]
    [InlineData("25", "TZS", "25 TZS → 0.01 MC")]
    [InlineData("lots", "USD", "Type an amount in USD to see how many credits you get.")]
    [InlineData("25.00", "XYZ", "Choose a currency to see how many credits you get.")]
    public async Task The_conversion_line_comes_from_the_server_at_the_configured_rate(string amount, string currency, string expected)
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var line = await shopper.GetHtmlAsync($"/Wallet?handler=Conversion&amount={Uri.EscapeDataString(amount)}&currency={currency}", htmx: true);

        Assert.Equal(expected, WebUtility.HtmlDecode(line).Trim());
    }
}
