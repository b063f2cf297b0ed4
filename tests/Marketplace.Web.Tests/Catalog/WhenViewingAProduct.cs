using System.Net;

namespace Marketplace.Web.Tests.Catalog;

public sealed class WhenViewingAProduct(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_product_page_shows_its_name_seller_and_price_in_credits()
    {
        var (status, html) = await GetAsync("/products/9d0d0c7a-0000-4000-8000-000000000001");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>Icon pack: Line</h1>", html, StringComparison.Ordinal);
        Assert.Contains("PixelForge", html, StringComparison.Ordinal);
        Assert.Contains("12.50 MC", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_explains_that_the_credits_are_held_until_delivery()
    {
        var (status, html) = await GetAsync("/products/9d0d0c7a-0000-4000-8000-000000000008");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Custom voice-over (60 s)", html, StringComparison.Ordinal);
        Assert.Contains("your credits are held", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Buy_now_leads_to_the_checkout_for_one_of_it()
    {
        var (_, html) = await GetAsync("/products/9d0d0c7a-0000-4000-8000-000000000001");

        // A real button (Space presses it) in a GET form, so it still works without script: /checkout/{id}?quantity=1.
        Assert.Contains("<form method=\"get\" action=\"/checkout/9d0d0c7a-0000-4000-8000-000000000001\"><input type=\"hidden\" name=\"quantity\" value=\"1\" /><button type=\"submit\">Buy now</button></form>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_id_is_not_found()
    {
        var (status, html) = await GetAsync("/products/not-a-guid");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Page not found", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_id_is_not_found()
    {
        var (status, _) = await GetAsync($"/products/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var client = app.CreateBrowserClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
