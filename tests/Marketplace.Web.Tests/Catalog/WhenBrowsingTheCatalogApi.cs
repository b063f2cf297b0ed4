using System.Net;
using System.Text.Json;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Catalog;

public sealed class WhenBrowsingTheCatalogApi(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task A_listed_product_can_be_fetched_by_its_id()
    {
        using var client = ApiClient.For(app);
        var first = (await client.GetJsonAsync("/api/products")).GetProperty("items")[0];

        var product = await client.GetJsonAsync($"/api/products/{first.GetProperty("id").GetGuid()}");

        Assert.Equal(first.GetProperty("name").GetString(), product.GetProperty("name").GetString());
        Assert.Equal(first.GetProperty("price").GetString(), product.GetProperty("price").GetString());
        Assert.Equal(JsonValueKind.String, product.GetProperty("price").ValueKind);
    }

    [Fact]
    public async Task Filters_narrow_the_list_to_matching_products()
    {
        using var client = ApiClient.For(app);
        var all = (await client.GetJsonAsync("/api/products")).GetProperty("items").EnumerateArray().ToList();
        var sample = all[0];
        var kind = sample.GetProperty("kind").GetString()!;
        var category = sample.GetProperty("category").GetString()!;
        var word = sample.GetProperty("name").GetString()!.Split(' ')[0];

        var byKind = (await client.GetJsonAsync($"/api/products?kind={kind}")).GetProperty("items").EnumerateArray().ToList();
        var byCategory = (await client.GetJsonAsync($"/api/products?category={Uri.EscapeDataString(category)}")).GetProperty("items").EnumerateArray().ToList();
        var bySearch = (await client.GetJsonAsync($"/api/products?search={Uri.EscapeDataString(word.ToUpperInvariant())}")).GetProperty("items").EnumerateArray().ToList();

        Assert.NotEmpty(byKind);
        Assert.All(byKind, p => Assert.Equal(kind, p.GetProperty("kind").GetString()));
        Assert.NotEmpty(byCategory);
        Assert.All(byCategory, p => Assert.Equal(category, p.GetProperty("category").GetString()));
        Assert.Contains(bySearch, p => p.GetProperty("id").GetGuid() == sample.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_unknown_product_id_answers_404_product_not_found()
    {
        using var client = ApiClient.For(app);

        using var response = await client.GetAsync($"/api/products/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "product_not_found");
    }
}
