using System.Net;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Checkout;

public sealed class WhenOpeningTheCheckout(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private const string IconPack = "9d0d0c7a-0000-4000-8000-000000000001";
    private const string VoiceOver = "9d0d0c7a-0000-4000-8000-000000000008";

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_log_in_and_back()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri($"/checkout/{IconPack}?quantity=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location?.AbsolutePath);
        Assert.Contains(Uri.EscapeDataString($"/checkout/{IconPack}"), response.Headers.Location?.Query, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task It_shows_price_quantity_total_balance_and_the_balance_after()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync($"/checkout/{IconPack}?quantity=2");

        Assert.Contains("<dt>Price</dt>\n        <dd>12.50 MC</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Quantity</dt>\n        <dd>2</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd class=\"price\">25.00 MC</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Current balance</dt>\n        <dd>1,000.00 MC</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Balance after</dt>\n        <dd>975.00 MC</dd>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_form_carries_the_server_computed_amount_for_the_intent_and_needs_script()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync($"/checkout/{IconPack}?quantity=3");

        Assert.Contains($"data-product-id=\"{IconPack}\" data-amount=\"37.50\" data-quantity=\"3\"", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\" disabled data-requires-js>Confirm purchase</button>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"passphrase\">Passphrase</label>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"passphrase\"", html, StringComparison.Ordinal);
        Assert.Contains("<noscript>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quantity_out_of_range_is_explained_and_one_is_priced()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync($"/checkout/{IconPack}?quantity=1000");

        Assert.Contains("<p id=\"quantity-error\" role=\"alert\">Choose a quantity from 1 to 99.</p>", html, StringComparison.Ordinal);
        Assert.Contains("data-amount=\"12.50\" data-quantity=\"1\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purchase_the_balance_does_not_cover_points_to_buying_credits()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync($"/checkout/{VoiceOver}?quantity=13");

        Assert.Contains("<dt>Balance after</dt>\n        <dd>-40.00 MC</dd>", html, StringComparison.Ordinal);
        Assert.Contains("Your balance does not cover this purchase. You need <strong>40.00 MC</strong> more.", html, StringComparison.Ordinal);
        Assert.Contains("your credits are held", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_product_is_not_found()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.GetAsync($"/checkout/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
