using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Wallet;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Seller;

public sealed class WhenListingAProduct(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task A_registered_user_lists_a_product_that_appears_on_their_seller_page_and_in_the_catalog()
    {
        using var seller = await WebShopper.RegisterAsync(app);
        var title = $"Mixing session {Guid.NewGuid():N}";

        using var response = await ListAsync(seller, title, "25.5", "Service");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Seller", response.Headers.Location?.OriginalString);
        var page = await seller.GetHtmlAsync("/Seller");
        Assert.Contains(title, page, StringComparison.Ordinal);
        Assert.Contains("25.50 MC", page, StringComparison.Ordinal);
        Assert.Contains("It is in the catalog now.", page, StringComparison.Ordinal);
        var products = await seller.Client.GetFromJsonAsync<JsonElement>(new Uri("/api/products", UriKind.Relative));
        var listed = products.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("name").GetString() == title);
        Assert.Equal("25.50", listed.GetProperty("price").GetString());
    }

    [Theory]
    [InlineData("0", "The price must be more than zero.")]
    [InlineData("-3", "The price must be more than zero.")]
    [InlineData("12.345", "Credits have at most two decimal places.")]
    [InlineData("12,5", "Write the price as a decimal number such as 12.50.")]
    [InlineData("1e3", "Write the price as a decimal number such as 12.50.")]
    public async Task A_bad_price_is_refused_with_a_message_and_nothing_is_listed(string price, string message)
    {
        using var seller = await WebShopper.RegisterAsync(app);
        var title = $"Bad price {Guid.NewGuid():N}";

        using var response = await ListAsync(seller, title, price, "Digital");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<p id=\"listing-price-error\" role=\"alert\">{message}</p>", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{title}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(title, await seller.GetHtmlAsync("/Seller"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_kind_is_refused()
    {
        using var seller = await WebShopper.RegisterAsync(app);

        using var response = await ListAsync(seller, "Odd kind", "5.00", "2");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Choose Digital or Service.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_log_in()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/Seller", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location?.AbsolutePath);
    }

    // A digital product delivers something: these listings deliver a licence text.
    internal static Task<HttpResponseMessage> ListAsync(WebShopper seller, string title, string price, string kind) =>
        seller.PostFormAsync("/Seller", "/Seller?handler=List",
        [
            new("title", title),
            new("description", "Listed by a test."),
            new("price", price),
            new("kind", kind),
            .. kind == "Digital" ? [new KeyValuePair<string, string>("licence", "Personal use.")] : Array.Empty<KeyValuePair<string, string>>(),
        ]);
}

/// <summary>The app with a small per-seller listing limit.</summary>
public sealed class TwoListingsApp : MarketplaceApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Catalog:MaxListingsPerSeller", "2");
    }
}

/// <summary>A seller may list only so many products (Catalog__MaxListingsPerSeller, 100 by default); the next one is refused with the reason.</summary>
public sealed class WhenASellerListsTooMuch(TwoListingsApp app) : IClassFixture<TwoListingsApp>
{
    [Fact]
    public async Task The_listing_past_the_limit_is_refused_and_not_listed()
    {
        using var seller = await WebShopper.RegisterAsync(app);
        foreach (var title in new[] { "First", "Second" })
        {
            using var listed = await WhenListingAProduct.ListAsync(seller, title, "5.00", "Digital");
            Assert.Equal(HttpStatusCode.Redirect, listed.StatusCode);
        }

        using var third = await WhenListingAProduct.ListAsync(seller, "Third", "5.00", "Digital");
        var html = await third.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, third.StatusCode);
        Assert.Contains("<p role=\"alert\">A seller can list at most 2 products.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Third", await seller.GetHtmlAsync("/Seller"), StringComparison.Ordinal);
    }
}
