using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Core.Catalog;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Catalog;

/// <summary>
/// One account once listed 1,500 products and the anonymous catalog answered 3.4 MB. The API pages (limit ≤ 100,
/// next_cursor) and the catalog page shows a page at a time with a Load more link that works without JavaScript.
/// </summary>
public sealed partial class WhenTheCatalogIsLarge(LargeCatalogApp app) : IClassFixture<LargeCatalogApp>
{
    private const int Listed = LargeCatalogApp.Listed;

    [Fact]
    public async Task The_api_pages_through_every_product_once()
    {
        using var client = ApiClient.For(app);
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetJsonAsync("/api/products?limit=100" + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}"));
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 100);
            seen.AddRange(items.Select(p => p.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(2, pages);
        Assert.Equal(Listed + DemoCatalog.Products.Count, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(20, (await client.GetJsonAsync("/api/products")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("limit=0", "invalid_limit")]
    [InlineData("limit=101", "invalid_limit")]
    [InlineData("limit=ten", "invalid_limit")]
    [InlineData("cursor=not-a-cursor", "invalid_cursor")]
    [InlineData("cursor=AAAA", "invalid_cursor")]
    public async Task A_bad_limit_or_cursor_is_a_400(string query, string code)
    {
        using var client = ApiClient.For(app);

        using var response = await client.GetAsync($"/api/products?{query}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task The_catalog_page_shows_one_page_and_load_more_leads_on_without_javascript()
    {
        using var client = app.CreateBrowserClient();

        var first = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var more = MoreLink().Match(first);

        Assert.Equal(24, ProductLink().Count(first));
        Assert.Contains($"{Listed + DemoCatalog.Products.Count} products", first, StringComparison.Ordinal);
        Assert.True(more.Success, "the first page links to the next");
        Assert.True(first.Length < 100_000, $"the first page is {first.Length} characters");
        var second = await client.GetStringAsync(new Uri(System.Net.WebUtility.HtmlDecode(more.Groups[1].Value), UriKind.Relative));
        var firstIds = ProductLink().Matches(first).Select(m => m.Groups[1].Value).ToHashSet();
        var secondIds = ProductLink().Matches(second).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(24, secondIds.Count);
        Assert.DoesNotContain(secondIds, firstIds.Contains);
        Assert.Contains("<html", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_htmx_load_more_answers_only_the_next_products_and_its_own_successor()
    {
        using var client = app.CreateBrowserClient();
        var first = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(System.Net.WebUtility.HtmlDecode(MoreLink().Match(first).Groups[1].Value), UriKind.Relative));
        request.Headers.Add("HX-Request", "true");

        using var response = await client.SendAsync(request);
        var fragment = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
        Assert.StartsWith("<ul class=\"product-list\">", fragment.TrimStart(), StringComparison.Ordinal);
        Assert.Equal(24, ProductLink().Count(fragment));
        Assert.Contains("id=\"catalog-more\"", fragment, StringComparison.Ordinal);
    }

    [GeneratedRegex("<a href=\"([^\"]+)\" role=\"button\" class=\"secondary\" hx-get=")]
    private static partial Regex MoreLink();

    [GeneratedRegex("<h2><a href=\"/products/([0-9a-f-]{36})\">")]
    private static partial Regex ProductLink();
}

/// <summary>The app with one seller's 130 products besides the demo catalog, listed once for the whole class.</summary>
public sealed class LargeCatalogApp : MarketplaceApp, IAsyncLifetime
{
    public const int Listed = 130;

    public async Task InitializeAsync()
    {
        var seller = await this.UserIdAsync((await ApiClient.RegisterUserAsync(this)).Email);
        for (var i = 0; i < Listed; i++)
        {
            await this.ListProductAsync(seller, $"{i + 1}.00");
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}
