using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Catalog;

/// <summary>Issue 14, defect 9: the catalog sorts by price either way and by newest, and keyset paging stays whole in each order.</summary>
public sealed partial class WhenSortingTheCatalog(LargeCatalogApp app) : IClassFixture<LargeCatalogApp>
{
    [Theory]
    [InlineData("name")]
    [InlineData("price")]
    [InlineData("price_desc")]
    [InlineData("newest")]
    public async Task Paging_in_each_order_returns_every_product_once_in_that_order(string sort)
    {
        using var client = ApiClient.For(app);

        var seen = await PageThroughAsync(client, sort);

        Assert.Equal(await ExpectedOrderAsync(sort), seen.Select(p => p.Id).ToList());
        Assert.Equal(seen.Count, seen.DistinctBy(p => p.Id).Count());
    }

    [Fact]
    public async Task Price_orders_go_by_amount_not_by_text()
    {
        using var client = ApiClient.For(app);

        var low = (await PageThroughAsync(client, "price")).Select(p => p.Price).ToList();
        var high = (await PageThroughAsync(client, "price_desc")).Select(p => p.Price).ToList();

        Assert.Equal(low.Order().ToList(), low);
        Assert.Equal(high.OrderDescending().ToList(), high);
    }

    [Fact]
    public async Task A_cursor_from_another_sort_is_a_400()
    {
        using var client = ApiClient.For(app);
        var cursor = (await client.GetJsonAsync("/api/products?sort=price&limit=5")).GetProperty("next_cursor").GetString()!;

        using var byName = await client.GetAsync($"/api/products?cursor={Uri.EscapeDataString(cursor)}");
        using var newest = await client.GetAsync($"/api/products?sort=newest&cursor={Uri.EscapeDataString(cursor)}");

        await byName.AssertProblemAsync(HttpStatusCode.BadRequest, "cursor_sort_mismatch");
        await newest.AssertProblemAsync(HttpStatusCode.BadRequest, "cursor_sort_mismatch");
    }

    [Theory]
    [InlineData("sort=cheapest")]
    [InlineData("sort=PRICE%00")]
    [InlineData("sort=1")]
    public async Task An_unknown_sort_is_a_400(string query)
    {
        using var client = ApiClient.For(app);

        using var response = await client.GetAsync($"/api/products?{query}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_sort");
    }

    [Fact]
    public async Task The_api_description_names_the_sort()
    {
        using var client = ApiClient.For(app);

        var description = await client.GetJsonAsync("/openapi/v1.json");

        var parameters = description.GetProperty("paths").EnumerateObject().Single(p => p.Name.TrimEnd('/') == "/api/products").Value.GetProperty("get").GetProperty("parameters").EnumerateArray();
        Assert.Contains(parameters, p => p.GetProperty("name").GetString() == "sort" && p.GetProperty("in").GetString() == "query");
    }

    [Fact]
    public async Task The_catalog_page_sorts_high_to_low_and_load_more_keeps_the_order()
    {
        using var client = app.CreateBrowserClient();

        var first = await client.GetStringAsync(new Uri("/?sort=price_desc", UriKind.Relative));
        var more = WebUtility.HtmlDecode(MoreLink().Match(first).Groups[1].Value);
        var second = await client.GetStringAsync(new Uri(more, UriKind.Relative));

        Assert.Contains("<option value=\"price_desc\" selected=\"selected\">Price: high to low</option>", first, StringComparison.Ordinal);
        Assert.Contains("sort=price_desc", more, StringComparison.Ordinal);
        var prices = Prices(first).Concat(Prices(second)).ToList();
        Assert.Equal(48, prices.Count);
        Assert.Equal(prices.OrderDescending().ToList(), prices);
    }

    private static async Task<List<(string Id, decimal Price)>> PageThroughAsync(ApiClient client, string sort)
    {
        var seen = new List<(string, decimal)>();
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync($"/api/products?limit=9&sort={sort}" + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => (p.GetProperty("id").GetString()!, decimal.Parse(p.GetProperty("price").GetString()!, CultureInfo.InvariantCulture))));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        return seen;
    }

    // The same order asked of the database directly (ties by id, in the database's own comparison).
    private async Task<List<string>> ExpectedOrderAsync(string sort)
    {
        using var scope = app.Services.CreateScope();
        var products = scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Products.AsNoTracking().Where(p => p.IsAvailable);
        var ordered = sort switch
        {
            "price" => products.OrderBy(p => p.PriceUnits).ThenBy(p => p.Id),
            "price_desc" => products.OrderByDescending(p => p.PriceUnits).ThenBy(p => p.Id),
            "newest" => products.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id),
            _ => products.OrderBy(p => p.Name).ThenBy(p => p.Id),
        };
        return (await ordered.Select(p => p.Id).ToListAsync()).Select(id => id.ToString()).ToList();
    }

    private static IEnumerable<decimal> Prices(string html) =>
        PriceText().Matches(html).Select(m => decimal.Parse(m.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture));

    [GeneratedRegex("<a href=\"([^\"]+)\" role=\"button\" class=\"secondary\" hx-get=")]
    private static partial Regex MoreLink();

    [GeneratedRegex("class=\"price\">([0-9,]+\\.[0-9]{2}) MC<")]
    private static partial Regex PriceText();
}
