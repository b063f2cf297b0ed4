using System.Net;
using System.Text.Json;

namespace Marketplace.Web.Tests.Catalog;

public sealed class WhenListingProductsOverTheApi(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private const string LineIconPackId = "9d0d0c7a-0000-4000-8000-000000000001";

    [Fact]
    public async Task The_seeded_catalog_has_at_least_twelve_products_of_both_kinds_with_decimal_string_prices()
    {
        var items = await ItemsAsync("/api/products");

        Assert.True(items.Count >= 12, $"expected at least 12 products, got {items.Count}");
        Assert.All(items, item =>
        {
            var price = item.GetProperty("price");
            Assert.Equal(JsonValueKind.String, price.ValueKind);
            Assert.Matches(@"^\d+\.\d{2}$", price.GetString());
            Assert.Equal("MC", item.GetProperty("currency").GetString());
        });
        var kinds = items.Select(i => i.GetProperty("kind").GetString()).Distinct().Order().ToList();
        Assert.Equal(["digital", "service"], kinds);
    }

    [Fact]
    public async Task Searching_is_case_insensitive_and_finds_both_icon_packs()
    {
        var items = await ItemsAsync("/api/products?search=ICON");

        Assert.Equal(["Icon pack: Duotone", "Icon pack: Line"], Names(items));
    }

    [Fact]
    public async Task Filtering_by_kind_returns_only_services()
    {
        var items = await ItemsAsync("/api/products?kind=service");

        Assert.NotEmpty(items);
        Assert.All(items, item => Assert.Equal("service", item.GetProperty("kind").GetString()));
        Assert.Contains("Custom voice-over (60 s)", Names(items));
    }

    [Fact]
    public async Task An_unknown_kind_is_a_bad_request_with_code_invalid_kind()
    {
        await AssertProblemAsync("/api/products?kind=bogus", HttpStatusCode.BadRequest, "invalid_kind");
    }

    [Fact]
    public async Task A_search_longer_than_100_characters_is_a_bad_request_with_code_invalid_search()
    {
        await AssertProblemAsync("/api/products?search=" + new string('a', 101), HttpStatusCode.BadRequest, "invalid_search");
    }

    [Fact]
    public async Task One_product_is_found_by_its_id()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri($"/api/products/{LineIconPackId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Icon pack: Line", body.RootElement.GetProperty("name").GetString());
        Assert.Equal("12.50", body.RootElement.GetProperty("price").GetString());
    }

    [Fact]
    public async Task An_unknown_product_id_is_not_found_with_code_product_not_found()
    {
        await AssertProblemAsync($"/api/products/{Guid.NewGuid()}", HttpStatusCode.NotFound, "product_not_found");
    }

    [Fact]
    public async Task A_malformed_product_id_is_not_found_as_a_problem()
    {
        await AssertProblemAsync("/api/products/not-a-guid", HttpStatusCode.NotFound, "product_not_found");
    }

    private static List<string?> Names(List<JsonElement> items) =>
        items.Select(i => i.GetProperty("name").GetString()).Order(StringComparer.Ordinal).ToList();

    private async Task<List<JsonElement>> ItemsAsync(string path)
    {
        using var client = app.CreateBrowserClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private async Task AssertProblemAsync(string path, HttpStatusCode status, string code)
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, body.RootElement.GetProperty("code").GetString());
    }
}
