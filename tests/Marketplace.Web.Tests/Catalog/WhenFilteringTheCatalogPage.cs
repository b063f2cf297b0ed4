using System.Net;

namespace Marketplace.Web.Tests.Catalog;

public sealed class WhenFilteringTheCatalogPage(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_full_page_lists_the_products_with_prices_in_credits()
    {
        var (response, html) = await GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Marketplace</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Search products", html, StringComparison.Ordinal);
        Assert.Contains("Icon pack: Line", html, StringComparison.Ordinal);
        Assert.Contains("Custom voice-over (60 s)", html, StringComparison.Ordinal);
        Assert.Contains("12.50 MC", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/products/9d0d0c7a-0000-4000-8000-000000000001\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_htmx_request_gets_only_the_results_partial_and_caches_are_told_it_varies()
    {
        var (full, _) = await GetAsync("/?search=icon");
        var (partial, html) = await GetAsync("/?search=icon", htmx: true);

        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Search products", html, StringComparison.Ordinal);
        Assert.Contains("Icon pack: Line", html, StringComparison.Ordinal);
        Assert.Contains("Icon pack: Duotone", html, StringComparison.Ordinal);
        Assert.Contains("HX-Request", partial.Headers.Vary);
        Assert.Contains("HX-Request", full.Headers.Vary);
    }

    [Fact]
    public async Task A_search_without_javascript_renders_only_the_matching_products()
    {
        var (response, html) = await GetAsync("/?search=icon");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Icon pack: Line", html, StringComparison.Ordinal);
        Assert.Contains("Icon pack: Duotone", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Custom voice-over", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Font: Harbour Sans", html, StringComparison.Ordinal);
        Assert.Contains("value=\"icon\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_kind_filter_keeps_only_services_and_stays_selected()
    {
        var (_, html) = await GetAsync("/?kind=service");

        Assert.Contains("Custom voice-over (60 s)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Icon pack: Line", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"service\" selected=\"selected\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_category_filter_keeps_only_that_category()
    {
        var (_, html) = await GetAsync("/?category=Books", htmx: true);

        Assert.Contains("E-book: Ledgers in practice", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Icon pack: Line", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_with_no_match_says_so()
    {
        var (_, html) = await GetAsync("/?search=zzzz-nothing", htmx: true);

        Assert.Contains("No products match your search.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_kind_is_ignored_with_a_message_instead_of_an_error()
    {
        var (response, html) = await GetAsync("/?kind=bogus");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That product kind does not exist", html, StringComparison.Ordinal);
        Assert.Contains("Icon pack: Line", html, StringComparison.Ordinal);
        Assert.Contains("Custom voice-over (60 s)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overly_long_search_is_shortened_with_a_message_instead_of_an_error()
    {
        var (response, html) = await GetAsync("/?search=icon" + new string('x', 200));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Searches are at most 100 characters", html, StringComparison.Ordinal);
        Assert.Contains("No products match your search.", html, StringComparison.Ordinal);
    }

    private async Task<(HttpResponseMessage Response, string Html)> GetAsync(string path, bool htmx = false)
    {
        using var client = app.CreateBrowserClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (htmx)
            request.Headers.Add("HX-Request", "true");
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }
}
