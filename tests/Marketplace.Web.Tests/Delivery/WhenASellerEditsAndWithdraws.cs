using System.Net;
using System.Text.Json;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Delivery;

/// <summary>
/// Sellers change their own listings only. A withdrawn product leaves the catalog and cannot be bought, yet its past
/// orders keep their downloads; a new price applies from now on and never to an order already made.
/// </summary>
public sealed class WhenASellerEditsAndWithdraws(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task A_withdrawn_product_is_hidden_and_refused_but_its_past_orders_still_download()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var buyer = await ApiClient.RegisteredAsync(app);
        var title = $"Withdrawn {Guid.NewGuid():N}";
        var product = await DeliveryTesting.ListAsync(seller, title, ("pack.pdf", DeliveryTesting.Pdf, "application/pdf"));
        var order = await DeliveryTesting.BuyAsync(buyer, product);

        using (var withdrawn = await seller.PostAsync($"/api/seller/products/{product}/withdraw", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
            Assert.False(JsonSerializer.Deserialize<JsonElement>(await withdrawn.Content.ReadAsStringAsync()).GetProperty("available").GetBoolean());
        }

        var catalog = await buyer.GetJsonAsync($"/api/products?search={Uri.EscapeDataString(title)}");
        using var purchase = await buyer.TransactAsync(Intents.Spend(product, "12.00"));
        using var download = await buyer.GetAsync($"/api/orders/{order}/download");

        Assert.Empty(catalog.GetProperty("items").EnumerateArray());
        await purchase.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "product_unavailable");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(DeliveryTesting.Pdf, await download.Content.ReadAsByteArrayAsync());

        using (var relisted = await seller.PostAsync($"/api/seller/products/{product}/relist", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, relisted.StatusCode);
        }

        Assert.Single((await buyer.GetJsonAsync($"/api/products?search={Uri.EscapeDataString(title)}")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_price_edit_applies_to_new_purchases_and_never_to_an_order_already_made()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var buyer = await ApiClient.RegisteredAsync(app);
        var product = await DeliveryTesting.ListAsync(seller, "Repriced", ("repriced.pdf", DeliveryTesting.Pdf, "application/pdf"));
        var order = await DeliveryTesting.BuyAsync(buyer, product);

        using var edit = DeliveryTesting.Form([("price", "20.00"), ("title", "Repriced, now better")]);
        using var edited = await seller.PostAsync($"/api/seller/products/{product}", edit);
        using var atOldPrice = await buyer.TransactAsync(Intents.Spend(product, "12.00"));

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var body = JsonSerializer.Deserialize<JsonElement>(await edited.Content.ReadAsStringAsync());
        Assert.Equal("20.00", body.GetProperty("price").GetString());
        Assert.Equal("Use it in one project.", body.GetProperty("licence").GetString());
        Assert.Equal("repriced.pdf", body.GetProperty("file").GetProperty("name").GetString());
        await atOldPrice.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "price_mismatch");
        var old = await buyer.GetJsonAsync($"/api/orders/{order}");
        Assert.Equal("12.00", old.GetProperty("unit_price").GetString());
        Assert.Equal("12.00", old.GetProperty("total").GetString());
        Assert.Equal("988.00", await buyer.AvailableAsync());
        var second = await DeliveryTesting.BuyAsync(buyer, product, "20.00");
        Assert.Equal("20.00", (await buyer.GetJsonAsync($"/api/orders/{second}")).GetProperty("total").GetString());
    }

    [Fact]
    public async Task Replacing_the_file_keeps_past_buyers_downloading_the_product_as_it_is_now()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var buyer = await ApiClient.RegisteredAsync(app);
        var product = await DeliveryTesting.ListAsync(seller, "Versioned", ("v1.pdf", DeliveryTesting.Pdf, "application/pdf"));
        var order = await DeliveryTesting.BuyAsync(buyer, product);

        using var edit = DeliveryTesting.Form([], ("v2.png", DeliveryTesting.Png, "image/png"));
        using var edited = await seller.PostAsync($"/api/seller/products/{product}", edit);
        using var download = await buyer.GetAsync($"/api/orders/{order}/download");

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(DeliveryTesting.Png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("v2.png", download.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task A_sold_file_cannot_be_removed_so_past_buyers_keep_their_download()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var buyer = await ApiClient.RegisteredAsync(app);
        var product = await DeliveryTesting.ListAsync(seller, "Kept", ("kept.pdf", DeliveryTesting.Pdf, "application/pdf"));
        var order = await DeliveryTesting.BuyAsync(buyer, product);

        using var edit = DeliveryTesting.Form([("remove_file", "true")]);
        using var refused = await seller.PostAsync($"/api/seller/products/{product}", edit);
        using var download = await buyer.GetAsync($"/api/orders/{order}/download");

        await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "file_sold");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(DeliveryTesting.Pdf, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_unsold_file_can_be_removed_when_the_licence_remains()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        var product = await DeliveryTesting.ListAsync(seller, "Unsold", ("unsold.pdf", DeliveryTesting.Pdf, "application/pdf"));

        using var edit = DeliveryTesting.Form([("remove_file", "true")]);
        using var edited = await seller.PostAsync($"/api/seller/products/{product}", edit);

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var body = JsonSerializer.Deserialize<JsonElement>(await edited.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("file").ValueKind);
    }

    [Fact]
    public async Task Someone_elses_product_cannot_be_edited_withdrawn_or_seen()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var intruder = await WebShopper.RegisterAsync(app);
        var product = await DeliveryTesting.ListAsync(seller, "Mine", ("mine.pdf", DeliveryTesting.Pdf, "application/pdf"));

        using var edit = DeliveryTesting.Form([("price", "0.01")]);
        using var edited = await intruder.Api.PostAsync($"/api/seller/products/{product}", edit);
        using var withdrawn = await intruder.Api.PostAsync($"/api/seller/products/{product}/withdraw", content: null);
        using var read = await intruder.Api.GetAsync($"/api/seller/products/{product}");
        using var page = await intruder.GetAsync($"/Seller/Products/{product}");
        using var pageWithdraw = await intruder.PostFormAsync("/Seller", $"/Seller/Products/{product}?handler=Withdraw", []);

        await edited.AssertProblemAsync(HttpStatusCode.NotFound, "product_not_found");
        await withdrawn.AssertProblemAsync(HttpStatusCode.NotFound, "product_not_found");
        await read.AssertProblemAsync(HttpStatusCode.NotFound, "product_not_found");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, pageWithdraw.StatusCode);
        var mine = await seller.GetJsonAsync($"/api/seller/products/{product}");
        Assert.Equal("12.00", mine.GetProperty("price").GetString());
        Assert.True(mine.GetProperty("available").GetBoolean());
    }

    [Fact]
    public async Task The_edit_page_saves_changes_and_withdraws_and_relists()
    {
        using var seller = await WebShopper.RegisterAsync(app);
        var product = await DeliveryTesting.ListAsync(seller.Api, "Paged", ("paged.pdf", DeliveryTesting.Pdf, "application/pdf"));
        var page = $"/Seller/Products/{product}";

        using var saved = await DeliveryTesting.PostPageFormAsync(seller.Client, page, $"{page}?handler=Edit",
            [("title", "Paged again"), ("description", "Now with more."), ("price", "7.50"), ("category", "Books"), ("licence", "Any use."), ("removeFile", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Saved “Paged again”.", WebUtility.HtmlDecode(await seller.GetHtmlAsync(page)), StringComparison.Ordinal);
        var after = await seller.Api.GetJsonAsync($"/api/seller/products/{product}");
        Assert.Equal("7.50", after.GetProperty("price").GetString());
        Assert.Equal("Any use.", after.GetProperty("licence").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("file").ValueKind);

        using var refused = await DeliveryTesting.PostPageFormAsync(seller.Client, page, $"{page}?handler=Edit",
            [("title", "Paged again"), ("description", "Now with more."), ("price", "7.50"), ("licence", "")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("A digital product delivers a file, a licence text or both", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var withdrawn = await seller.PostFormAsync(page, $"{page}?handler=Withdraw", []);
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        Assert.Contains("is withdrawn", await seller.GetHtmlAsync(page), StringComparison.Ordinal);
        Assert.False((await seller.Api.GetJsonAsync($"/api/seller/products/{product}")).GetProperty("available").GetBoolean());
        Assert.Contains("(withdrawn)", await seller.GetHtmlAsync("/Seller"), StringComparison.Ordinal);

        using var relisted = await seller.PostFormAsync(page, $"{page}?handler=Relist", []);
        Assert.Equal(HttpStatusCode.Redirect, relisted.StatusCode);
        Assert.True((await seller.Api.GetJsonAsync($"/api/seller/products/{product}")).GetProperty("available").GetBoolean());
    }
}
