using System.Net;
using System.Text.Json;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Catalog;

/// <summary>
/// Visitors' catalog pages, product pages and the products API are served from the output cache until the catalog
/// changes; every change is seen by the very next request, whichever way it was written, and nothing per user is ever
/// stored or served from it. A response served from the cache carries an <c>Age</c> header; a rendered one does not.
/// </summary>
public sealed class WhenTheCatalogIsCached(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/?search=icon&sort=price")]
    [InlineData("/api/products?limit=5")]
    public async Task A_visitors_second_request_is_served_from_the_cache_with_the_same_body(string path)
    {
        using var visitor = ApiClient.For(app);

        using var first = await visitor.GetAsync(path);
        using var second = await visitor.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(second.Headers.Age is not null, $"{path} was rendered again instead of served from the cache");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
        Assert.False(second.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Every_seller_change_shows_on_the_next_view_of_the_catalog_the_product_and_the_api()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var visitor = ApiClient.For(app);
        var title = $"Cached {Guid.NewGuid():N}";
        var search = Uri.EscapeDataString(title);
        Assert.Contains(">0 products<", await PageAsync(visitor, $"/?search={search}"));
        Assert.Empty(await ApiItemsAsync(visitor, search));

        var product = await DeliveryTesting.ListAsync(seller, title, ("cached.pdf", DeliveryTesting.Pdf, "application/pdf"));
        Assert.Contains(">1 product<", await PageAsync(visitor, $"/?search={search}"));
        Assert.Equal("12.00", Assert.Single(await ApiItemsAsync(visitor, search)).GetProperty("price").GetString());
        Assert.Contains("12.00", await PageAsync(visitor, $"/products/{product}"));
        using (var again = await CachedAsync(visitor, $"/products/{product}"))
        {
            Assert.NotNull(again.Headers.Age);
        }

        using (var edit = DeliveryTesting.Form([("price", "19.50")]))
        using (var edited = await seller.PostAsync($"/api/seller/products/{product}", edit))
        {
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        }

        Assert.Equal("19.50", Assert.Single(await ApiItemsAsync(visitor, search)).GetProperty("price").GetString());
        Assert.Contains("19.50", await PageAsync(visitor, $"/?search={search}"));
        Assert.Contains("19.50", await PageAsync(visitor, $"/products/{product}"));

        using (var withdrawn = await seller.PostAsync($"/api/seller/products/{product}/withdraw", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        }

        Assert.Empty(await ApiItemsAsync(visitor, search));
        Assert.Contains(">0 products<", await PageAsync(visitor, $"/?search={search}"));

        using (var relisted = await seller.PostAsync($"/api/seller/products/{product}/relist", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, relisted.StatusCode);
        }

        Assert.Single(await ApiItemsAsync(visitor, search));
        Assert.Contains(">1 product<", await PageAsync(visitor, $"/?search={search}"));
    }

    [Fact]
    public async Task A_change_written_past_the_app_as_another_instance_would_shows_at_once()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var visitor = ApiClient.For(app);
        var title = $"Elsewhere {Guid.NewGuid():N}";
        var search = Uri.EscapeDataString(title);
        var product = await DeliveryTesting.ListAsync(seller, title, ("elsewhere.pdf", DeliveryTesting.Pdf, "application/pdf"));
        Assert.Equal("12.00", Assert.Single(await ApiItemsAsync(visitor, search)).GetProperty("price").GetString());
        using (var again = await CachedAsync(visitor, $"/api/products?search={search}"))
        {
            Assert.NotNull(again.Headers.Age);
        }

        // Straight to the database, as a second instance or an operator's script writes: no code of this process runs.
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
            await db.Products.Where(p => p.Id == product).ExecuteUpdateAsync(s => s.SetProperty(p => p.PriceUnits, 4_321));
            await db.Users.Where(u => u.Email == seller.User.Email).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "Renamed Seller"));
        }

        var item = Assert.Single(await ApiItemsAsync(visitor, search));
        Assert.Equal("43.21", item.GetProperty("price").GetString());
        Assert.Equal("Renamed Seller", item.GetProperty("seller_name").GetString());
        Assert.Contains("43.21", await PageAsync(visitor, $"/?search={search}"));
    }

    [Fact]
    public async Task A_signed_in_page_is_never_stored_or_served_from_the_cache()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        using var visitor = ApiClient.For(app);

        using var signedIn = await shopper.GetAsync("/?search=signed-in");
        using var again = await shopper.GetAsync("/?search=signed-in");
        using var anonymous = await visitor.GetAsync("/?search=signed-in");
        using var signedInAfter = await shopper.GetAsync("/?search=signed-in");

        Assert.Null(again.Headers.Age);
        Assert.Contains("Log out", await again.Content.ReadAsStringAsync());
        Assert.Null(anonymous.Headers.Age);
        var visitorsPage = await anonymous.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Log out", visitorsPage);
        Assert.DoesNotContain("csrf-token", visitorsPage);
        Assert.Null(signedInAfter.Headers.Age);
        Assert.Contains("Log out", await signedInAfter.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_signed_in_shopper_sees_a_change_on_the_next_view_though_the_pages_content_is_kept()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var shopper = await ApiClient.RegisteredAsync(app);
        var title = $"Kept {Guid.NewGuid():N}";
        var path = $"/?search={Uri.EscapeDataString(title)}";
        var product = await DeliveryTesting.ListAsync(seller, title, ("kept.pdf", DeliveryTesting.Pdf, "application/pdf"));
        Assert.Contains("12.00", await PageAsync(shopper, path));
        Assert.Contains("12.00", await PageAsync(shopper, path));

        using (var edit = DeliveryTesting.Form([("price", "13.75")]))
        using (var edited = await seller.PostAsync($"/api/seller/products/{product}", edit))
        {
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        }

        var page = await PageAsync(shopper, path);
        Assert.Contains("13.75", page);
        Assert.DoesNotContain("12.00", page);
        Assert.Contains("Log out", page);
    }

    [Fact]
    public async Task Htmx_and_browser_requests_for_one_url_are_cached_apart()
    {
        using var visitor = ApiClient.For(app);
        const string path = "/?search=apart";

        var page = await PageAsync(visitor, path);
        using var htmx = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        htmx.Headers.Add("HX-Request", "true");
        using var partial = await visitor.Http.SendAsync(htmx);
        using var pageAgain = await CachedAsync(visitor, path);

        Assert.Contains("<html", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", await partial.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(pageAgain.Headers.Age);
        Assert.Contains("<html", await pageAgain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Searches_differing_only_in_case_are_different_pages()
    {
        using var visitor = ApiClient.For(app);

        var upper = await PageAsync(visitor, "/?search=Icon");
        var lower = await PageAsync(visitor, "/?search=icon");

        Assert.Contains("value=\"Icon\"", upper, StringComparison.Ordinal);
        Assert.Contains("value=\"icon\"", lower, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_request_is_not_cached()
    {
        using var visitor = ApiClient.For(app);

        using var first = await visitor.GetAsync("/api/products?limit=0");
        using var second = await visitor.GetAsync("/api/products?limit=0");
        var nothing = Guid.NewGuid();
        using var missing = await visitor.GetAsync($"/products/{nothing}");
        using var missingAgain = await visitor.GetAsync($"/products/{nothing}");

        await second.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_limit");
        Assert.Null(second.Headers.Age);
        Assert.Equal(HttpStatusCode.NotFound, missingAgain.StatusCode);
        Assert.Null(missingAgain.Headers.Age);
    }

    private static async Task<string> PageAsync(ApiClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpResponseMessage> CachedAsync(ApiClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static async Task<List<JsonElement>> ApiItemsAsync(ApiClient client, string search) =>
        (await client.GetJsonAsync($"/api/products?search={search}")).GetProperty("items").EnumerateArray().ToList();
}
