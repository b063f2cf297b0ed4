using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Catalog;

[Collection("app")]
public sealed partial class WhenSearchingTheCatalog(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task Typing_narrows_the_results_in_place_and_a_result_opens_its_product_page()
    {
        await Page.GotoAsync("/");
        var products = Page.GetByRole(AriaRole.Region, new() { Name = "Products" });
        await Expect(products.GetByRole(AriaRole.Link, new() { Name = "Icon pack: Line" })).ToBeVisibleAsync();
        var documentLoads = 0;
        Page.Request += (_, request) =>
        {
            if (request.IsNavigationRequest)
                Interlocked.Increment(ref documentLoads);
        };

        await Page.GetByLabel("Search products").FillAsync("voice");

        await Expect(Page).ToHaveURLAsync(SearchForVoice());
        await Expect(products.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Expect(products.GetByRole(AriaRole.Link, new() { Name = "Icon pack: Line" })).ToHaveCountAsync(0);
        var voiceOver = products.GetByRole(AriaRole.Link, new() { Name = "Custom voice-over (60 s)" });
        await Expect(voiceOver).ToBeVisibleAsync();
        Assert.Equal(0, Volatile.Read(ref documentLoads));

        await voiceOver.ClickAsync();

        await Expect(Page).ToHaveURLAsync(ProductPage());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Custom voice-over (60 s)", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByText("80.00 MC")).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"[?&]search=voice(&|$)")]
    private static partial Regex SearchForVoice();

    [GeneratedRegex(@"/products/9d0d0c7a-0000-4000-8000-000000000008$")]
    private static partial Regex ProductPage();
}
