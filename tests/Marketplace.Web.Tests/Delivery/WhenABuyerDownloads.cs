using System.Net;
using System.Text.Json;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Delivery;

/// <summary>
/// A completed digital order's file goes to its buyer and to admins, as an attachment no shared cache keeps; anyone else
/// is told there is no such order (404), someone signed out must log in, and a refund ends the download.
/// </summary>
public sealed class WhenABuyerDownloads(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_buyer_gets_the_file_as_an_attachment_from_the_api_and_the_order_page()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var buyer = await ApiClient.RegisteredAsync(app);
        var product = await DeliveryTesting.ListAsync(seller, "Manual", ("sub/dir\\notes:v1?.pdf", DeliveryTesting.Pdf, "text/html"));
        var order = await DeliveryTesting.BuyAsync(buyer, product);

        using var api = await buyer.GetAsync($"/api/orders/{order}/download");
        using var page = await buyer.GetAsync($"/Orders/{order}?handler=Download");

        foreach (var response in new[] { api, page })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(DeliveryTesting.Pdf, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("notes_v1_.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
            Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, $"Cache-Control: {response.Headers.CacheControl}");
            Assert.Contains("nosniff", response.Headers.GetValues("X-Content-Type-Options"));
        }

        var view = await buyer.GetJsonAsync($"/api/orders/{order}");
        Assert.Equal($"/api/orders/{order}/download", view.GetProperty("delivery").GetProperty("download_url").GetString());
        Assert.Equal("Use it in one project.", view.GetProperty("delivery").GetProperty("licence").GetString());
    }

    [Fact]
    public async Task Another_user_gets_404_an_anonymous_visitor_must_log_in_and_an_admin_gets_the_file()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var buyer = await ApiClient.RegisteredAsync(app);
        using var other = await ApiClient.RegisteredAsync(app);
        using var anonymous = ApiClient.For(app);
        using var admin = await app.AdminAsync();
        var product = await DeliveryTesting.ListAsync(seller, "Fonts", ("fonts.zip", [.. "PK\x03\x04"u8, 1, 2, 3], "application/zip"));
        var order = await DeliveryTesting.BuyAsync(buyer, product);

        using var otherApi = await other.GetAsync($"/api/orders/{order}/download");
        using var otherPage = await other.GetAsync($"/Orders/{order}?handler=Download");
        using var sellerApi = await seller.GetAsync($"/api/orders/{order}/download");
        using var anonymousApi = await anonymous.GetAsync($"/api/orders/{order}/download");
        using var anonymousPage = await anonymous.GetAsync($"/Orders/{order}?handler=Download");
        using var adminApi = await admin.GetAsync($"/api/orders/{order}/download");
        using var adminPage = await admin.GetAsync($"/Orders/{order}?handler=Download");

        await otherApi.AssertProblemAsync(HttpStatusCode.NotFound, "order_not_found");
        Assert.Equal(HttpStatusCode.NotFound, otherPage.StatusCode);
        await sellerApi.AssertProblemAsync(HttpStatusCode.NotFound, "order_not_found");
        await anonymousApi.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
        Assert.Equal(HttpStatusCode.Redirect, anonymousPage.StatusCode);
        Assert.Equal("/Account/Login", anonymousPage.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, adminApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, adminPage.StatusCode);
        Assert.Equal("application/zip", adminApi.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_refunded_order_no_longer_downloads_and_its_page_says_why()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var buyer = await ApiClient.RegisteredAsync(app);
        using var admin = await app.AdminAsync();
        var product = await DeliveryTesting.ListAsync(seller, "Refunded", ("refunded.pdf", DeliveryTesting.Pdf, "application/pdf"));
        var order = await DeliveryTesting.BuyAsync(buyer, product);
        using (var before = await buyer.GetAsync($"/api/orders/{order}/download"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var refund = await admin.PostJsonAsync($"/api/admin/orders/{order}/refund", new { Reason = "Wrong file" }))
        {
            Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        }

        using var api = await buyer.GetAsync($"/api/orders/{order}/download");
        using var page = await buyer.GetAsync($"/Orders/{order}?handler=Download");
        using var asAdmin = await admin.GetAsync($"/api/orders/{order}/download");
        var html = await (await buyer.GetAsync($"/Orders/{order}")).Content.ReadAsStringAsync();

        await api.AssertProblemAsync(HttpStatusCode.Gone, "download_revoked");
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        await asAdmin.AssertProblemAsync(HttpStatusCode.Gone, "download_revoked");
        Assert.DoesNotContain("handler=Download", html, StringComparison.Ordinal);
        Assert.Contains("This order was refunded", html, StringComparison.Ordinal);
        Assert.Null((await buyer.GetJsonAsync($"/api/orders/{order}")).GetProperty("delivery").GetProperty("download_url").GetString());
    }

    [Fact]
    public async Task The_order_page_shows_download_licence_and_a_readable_receipt_with_the_raw_json_in_a_focusable_disclosure()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var buyer = await ApiClient.RegisteredAsync(app);
        var product = await DeliveryTesting.ListAsync(seller, "Readable", ("readable.pdf", DeliveryTesting.Pdf, "application/pdf"));
        var order = await DeliveryTesting.BuyAsync(buyer, product);

        var html = await (await buyer.GetAsync($"/Orders/{order}")).Content.ReadAsStringAsync();

        Assert.Contains($"href=\"/Orders/{order}?handler=Download\"", html, StringComparison.Ordinal);
        Assert.Contains("Use it in one project.", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Amount</dt>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>12.00 MC</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<summary>Signed receipt (raw JSON)</summary>", html, StringComparison.Ordinal);
        Assert.Matches("<pre class=\"wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Raw signed JSON\" data-receipt-body>\\{", html);
    }

    [Fact]
    public async Task A_licence_only_order_shows_its_licence_and_has_no_file()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        using var buyer = await ApiClient.RegisteredAsync(app);
        using var content = DeliveryTesting.Form(DeliveryTesting.Listing("Key", licence: "Licence key: ABCD-1234"));
        using var listed = await seller.PostAsync("/api/seller/products", content);
        var product = JsonSerializer.Deserialize<JsonElement>(await listed.Content.ReadAsStringAsync()).GetProperty("id").GetGuid();
        var order = await DeliveryTesting.BuyAsync(buyer, product);

        var html = await (await buyer.GetAsync($"/Orders/{order}")).Content.ReadAsStringAsync();
        using var download = await buyer.GetAsync($"/api/orders/{order}/download");

        Assert.Contains("Licence key: ABCD-1234", html, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Download", html, StringComparison.Ordinal);
        await download.AssertProblemAsync(HttpStatusCode.NotFound, "no_download");
    }
}
