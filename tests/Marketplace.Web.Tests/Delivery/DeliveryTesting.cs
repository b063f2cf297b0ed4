using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Wallet;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Delivery;

/// <summary>Listing digital products with a file over the API and the seller page, and buying them.</summary>
internal static partial class DeliveryTesting
{
    /// <summary>The first bytes of a PNG, then some: enough for the type check, small enough for any test.</summary>
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Encoding.ASCII.GetBytes("not really an image, but it begins like one")];

    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\nA small document.\n%%EOF\n");

    public static MultipartFormDataContent Form(IEnumerable<(string Name, string Value)> fields, (string Name, byte[] Bytes, string ClaimedType)? file = null)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        if (file is { } f)
        {
            var part = new ByteArrayContent(f.Bytes);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(f.ClaimedType);
            form.Add(part, "file", f.Name);
        }

        return form;
    }

    public static (string, string)[] Listing(string title, string price = "12.00", string kind = "digital", string? licence = "Use it in one project.") =>
    [
        ("title", title), ("description", "Listed by a delivery test."), ("price", price), ("kind", kind), .. licence is null ? Array.Empty<(string, string)>() : [("licence", licence)],
    ];

    /// <summary>Lists a digital product with <paramref name="file"/> over the API; returns its id.</summary>
    public static async Task<Guid> ListAsync(ApiClient seller, string title, (string Name, byte[] Bytes, string ClaimedType) file, string price = "12.00")
    {
        using var content = Form(Listing(title, price), file);
        using var response = await seller.PostAsync("/api/seller/products", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonSerializer.Deserialize<JsonElement>(body).GetProperty("id").GetGuid();
    }

    public static async Task<Guid> BuyAsync(ApiClient buyer, Guid productId, string price = "12.00") =>
        (await buyer.BuyAsync(productId, price)).GetProperty("order_id").GetGuid();

    /// <summary>Posts a page's multipart form with its antiforgery token, as a browser does.</summary>
    public static async Task<HttpResponseMessage> PostPageFormAsync(HttpClient client, string formPage, string action, IEnumerable<(string Name, string Value)> fields, (string Name, byte[] Bytes, string ClaimedType)? file = null)
    {
        using var page = await client.GetAsync(new Uri(formPage, UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        var token = CsrfMeta().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"{formPage} rendered no antiforgery token.");
        using var form = Form(fields.Append(("__RequestVerificationToken", token)), file);
        return await client.PostAsync(new Uri(action, UriKind.Relative), form);
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();
}

/// <summary>The app with a 1 MB file limit, so that "too large" costs little to send.</summary>
public sealed class SmallFilesApp : MarketplaceApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Delivery:MaxFileMegabytes", "1");
    }
}
