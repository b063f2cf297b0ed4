using System.Text;
using System.Text.RegularExpressions;
using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Checkout;

/// <summary>
/// Digital delivery in the browser: a seller lists a product with a file and a licence, a buyer buys it and downloads
/// exactly that file from the order page, and another signed-in user who follows the same link is told 404.
/// </summary>
[Collection("app")]
public sealed partial class WhenDownloadingADigitalPurchase(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\nA field guide, delivered at once.\n%%EOF\n");

    [Fact]
    public async Task The_buyer_downloads_the_file_and_another_user_gets_404()
    {
        await using var sellerContext = await NewContextAsync();
        var sellerPage = await sellerContext.NewPageAsync();
        await new Shopper(sellerPage).RegisterAsync();
        var title = $"Field guide {Guid.NewGuid():N}";
        await sellerPage.GetByRole(AriaRole.Link, new() { Name = "Sell" }).ClickAsync();
        var form = sellerPage.GetByRole(AriaRole.Region, new() { Name = "List a product" });
        await form.GetByLabel("Title").FillAsync(title);
        await form.GetByLabel("Description").FillAsync("Every bird in the park.");
        await form.GetByLabel("Price").FillAsync("9.00");
        await form.GetByRole(AriaRole.Group, new() { Name = "Kind" }).GetByRole(AriaRole.Radio, new() { Name = "Digital" }).CheckAsync();
        await form.GetByLabel("File").SetInputFilesAsync(new FilePayload { Name = "field-guide.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await form.GetByLabel("Licence text").FillAsync("For one household.");
        await form.GetByRole(AriaRole.Button, new() { Name = "List product" }).ClickAsync();
        var products = sellerPage.GetByRole(AriaRole.Table, new() { Name = "My products" });
        await Expect(products.GetByRole(AriaRole.Row).Filter(new() { HasText = title })).ToContainTextAsync("field-guide.pdf");
        var productUrl = await products.GetByRole(AriaRole.Link, new() { Name = title }).GetAttributeAsync("href");

        var buyer = new Shopper(Page);
        await buyer.RegisterAsync();
        await Page.GotoAsync(productUrl!);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy now" }).ClickAsync();
        await Page.GetByLabel("Passphrase").FillAsync(buyer.Passphrase);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }).ClickAsync();
        await Page.WaitForURLAsync(OrderUrl());
        await Expect(buyer.ReceiptBadge).ToHaveTextAsync("Verified");
        var delivery = Page.GetByRole(AriaRole.Region, new() { Name = "Your download" });
        await Expect(delivery).ToContainTextAsync("For one household.");
        var downloadLink = delivery.GetByRole(AriaRole.Button, new() { Name = "Download" });

        var download = await Page.RunAndWaitForDownloadAsync(() => downloadLink.ClickAsync());

        Assert.Equal("field-guide.pdf", download.SuggestedFilename);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync((await download.PathAsync())!));

        var href = await downloadLink.GetAttributeAsync("href");
        await using var otherContext = await NewContextAsync();
        var otherPage = await otherContext.NewPageAsync();
        await new Shopper(otherPage).RegisterAsync();
        var refused = await otherPage.GotoAsync(href!);
        Assert.Equal(404, refused!.Status);
        await Expect(otherPage.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"/Orders/[0-9a-f-]{36}$")]
    private static partial Regex OrderUrl();
}
