using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Seller;

/// <summary>
/// Issue 14, defect 8: after the server refuses the listing form or the edit page, the page comes back with focus on an
/// error summary that links to the field, rather than at the top of the page with the error far below.
/// </summary>
[Collection("app")]
public sealed class WhenASellerFormIsRefused(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task A_refused_listing_puts_focus_on_the_error_summary_which_links_to_the_price()
    {
        await new Shopper(Page).RegisterAsync();
        await Page.GotoAsync("/Seller");
        var form = Page.GetByRole(AriaRole.Region, new() { Name = "List a product" });
        await FillServiceAsync(form, $"Logo design {Guid.NewGuid():N}", "lots");

        await form.GetByRole(AriaRole.Button, new() { Name = "List product" }).ClickAsync();

        var summary = Page.Locator("[data-error-summary]");
        await Expect(summary).ToBeFocusedAsync();
        await summary.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "List a product" }).GetByLabel("Price")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_refused_edit_puts_focus_on_the_error_summary()
    {
        await new Shopper(Page).RegisterAsync();
        await Page.GotoAsync("/Seller");
        var title = $"Logo design {Guid.NewGuid():N}";
        var form = Page.GetByRole(AriaRole.Region, new() { Name = "List a product" });
        await FillServiceAsync(form, title, "30.00");
        await form.GetByRole(AriaRole.Button, new() { Name = "List product" }).ClickAsync();
        var products = Page.GetByRole(AriaRole.Table, new() { Name = "My products" });
        await products.GetByRole(AriaRole.Row).Filter(new() { HasText = title }).GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Page.GetByLabel("Price (MC)").FillAsync("-5");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        var summary = Page.Locator("[data-error-summary]");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", "#edit-price");
    }

    private static async Task FillServiceAsync(ILocator form, string title, string price)
    {
        await form.GetByLabel("Title").FillAsync(title);
        await form.GetByLabel("Description").FillAsync("Three drafts, delivered as a call.");
        await form.GetByLabel("Price").FillAsync(price);
        await form.GetByRole(AriaRole.Group, new() { Name = "Kind" }).GetByRole(AriaRole.Radio, new() { Name = "Service" }).CheckAsync();
    }
}
