using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Delivery;

/// <summary>
/// A digital product's file: its type is judged from its bytes (never the uploader's claim), its name made safe, and
/// anything refused leaves nothing behind: no product, no file in the data directory.
/// </summary>
public sealed class WhenASellerAttachesAFile(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_type_is_recorded_from_the_bytes_and_the_name_is_made_safe()
    {
        using var seller = await ApiClient.RegisteredAsync(app);

        using var content = DeliveryTesting.Form(DeliveryTesting.Listing("Icons"), ("../../etc/icons.png", DeliveryTesting.Png, "text/html"));
        using var response = await seller.PostAsync("/api/seller/products", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var product = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        var file = product.GetProperty("file");
        Assert.Equal("icons.png", file.GetProperty("name").GetString());
        Assert.Equal("image/png", file.GetProperty("content_type").GetString());
        Assert.Equal(DeliveryTesting.Png.Length, file.GetProperty("size_bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(DeliveryTesting.Png)), file.GetProperty("sha256").GetString());
        Assert.Equal("Use it in one project.", product.GetProperty("licence").GetString());
    }

    [Fact]
    public async Task An_unknown_extension_is_stored_as_octet_stream_whatever_the_browser_claims()
    {
        using var seller = await ApiClient.RegisteredAsync(app);

        using var content = DeliveryTesting.Form(DeliveryTesting.Listing("Preset"), ("preset.xyz", Encoding.UTF8.GetBytes("<script>alert(1)</script>"), "text/html"));
        using var response = await seller.PostAsync("/api/seller/products", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var file = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync()).GetProperty("file");
        Assert.Equal("application/octet-stream", file.GetProperty("content_type").GetString());
    }

    [Fact]
    public async Task A_file_whose_bytes_are_not_what_its_name_says_is_refused_and_nothing_is_kept()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        var filesBefore = FilesOnDisk();

        using var content = DeliveryTesting.Form(DeliveryTesting.Listing("Fake logo"), ("logo.png", DeliveryTesting.Pdf, "image/png"));
        using var response = await seller.PostAsync("/api/seller/products", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "file_type_mismatch");
        Assert.Equal("file", problem.GetProperty("field").GetString());
        Assert.Contains("a PDF document", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty((await seller.GetJsonAsync("/api/seller/products")).GetProperty("items").EnumerateArray());
        Assert.Equal(filesBefore, FilesOnDisk());
    }

    [Fact]
    public async Task A_digital_product_must_deliver_something_and_a_service_delivers_no_file()
    {
        using var seller = await ApiClient.RegisteredAsync(app);

        using var nothing = DeliveryTesting.Form(DeliveryTesting.Listing("Empty promise", licence: null));
        using var empty = await seller.PostAsync("/api/seller/products", nothing);
        using var service = DeliveryTesting.Form(DeliveryTesting.Listing("Call", kind: "service", licence: null), ("notes.pdf", DeliveryTesting.Pdf, "application/pdf"));
        using var withFile = await seller.PostAsync("/api/seller/products", service);

        await empty.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "delivery_required");
        await withFile.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "delivery_for_service");
        Assert.Empty((await seller.GetJsonAsync("/api/seller/products")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Malformed_multipart_and_a_body_that_is_not_a_form_are_problems_and_change_nothing()
    {
        using var seller = await ApiClient.RegisteredAsync(app);

        using var broken = await seller.PostAsync("/api/seller/products", "--xyz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nno end", "multipart/form-data; boundary=xyz");
        using var json = await seller.PostJsonAsync("/api/seller/products", new { Title = "JSON", Description = "d", Price = "1.00", Kind = "digital", Licence = "l" });

        await broken.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_body");
        await json.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Empty((await seller.GetJsonAsync("/api/seller/products")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_seller_page_lists_a_product_with_its_file_through_a_multipart_form()
    {
        using var seller = await WebShopper.RegisterAsync(app);
        var title = $"Brushes {Guid.NewGuid():N}";

        using var response = await DeliveryTesting.PostPageFormAsync(seller.Client, "/Seller", "/Seller?handler=List",
            [("title", title), ("description", "Twelve brushes."), ("price", "4.00"), ("kind", "Digital")], ("brushes.pdf", DeliveryTesting.Pdf, "application/pdf"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await seller.GetHtmlAsync("/Seller");
        Assert.Contains(title, page, StringComparison.Ordinal);
        Assert.Contains("brushes.pdf", page, StringComparison.Ordinal);
        var listed = (await seller.Api.GetJsonAsync("/api/seller/products")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("application/pdf", listed.GetProperty("file").GetProperty("content_type").GetString());
    }

    [Fact]
    public async Task The_seller_page_shows_a_refused_file_beside_its_field()
    {
        using var seller = await WebShopper.RegisterAsync(app);

        using var response = await DeliveryTesting.PostPageFormAsync(seller.Client, "/Seller", "/Seller?handler=List",
            [("title", "Fake"), ("description", "d"), ("price", "4.00"), ("kind", "Digital")], ("fake.pdf", DeliveryTesting.Png, "application/pdf"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("<p id=\"listing-file-error\" role=\"alert\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private string[] FilesOnDisk()
    {
        var folder = Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, "files");
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)] : [];
    }
}

/// <summary>The size limit comes from Delivery__MaxFileMegabytes: past it, 413 with a problem, and nothing is listed or kept.</summary>
public sealed class WhenAFileIsTooLarge(SmallFilesApp app) : IClassFixture<SmallFilesApp>
{
    [Fact]
    public async Task A_file_over_the_limit_is_413_over_the_api_and_nothing_is_kept()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        var big = new byte[(1024 * 1024) + 1];
        DeliveryTesting.Pdf.CopyTo(big, 0);

        using var content = DeliveryTesting.Form(DeliveryTesting.Listing("Huge"), ("huge.pdf", big, "application/pdf"));
        using var response = await seller.PostAsync("/api/seller/products", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file_too_large");
        Assert.Contains("at most 1 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty((await seller.GetJsonAsync("/api/seller/products")).GetProperty("items").EnumerateArray());
        var folder = Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, "files");
        Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0, "no file (nor a .part) is left behind");
    }

    [Fact]
    public async Task A_request_far_over_the_limit_is_refused_while_it_is_read()
    {
        using var seller = await ApiClient.RegisteredAsync(app);

        using var content = DeliveryTesting.Form(DeliveryTesting.Listing("Enormous"), ("enormous.pdf", new byte[3 * 1024 * 1024], "application/pdf"));
        using var response = await seller.PostAsync("/api/seller/products", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty((await seller.GetJsonAsync("/api/seller/products")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_file_just_under_the_limit_is_accepted_though_it_is_larger_than_other_requests_may_be()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        var file = new byte[1024 * 1024];
        DeliveryTesting.Pdf.CopyTo(file, 0);

        using var content = DeliveryTesting.Form(DeliveryTesting.Listing("Just fits"), ("fits.pdf", file, "application/pdf"));
        using var response = await seller.PostAsync("/api/seller/products", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
