using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Wallet;

[Collection("app")]
public sealed class WhenBuyingCreditsWithABadAmount(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task The_dialog_comes_back_open_with_the_error_next_to_the_amount()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy credits" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "Buy credits" });
        await dialog.GetByLabel("Amount").FillAsync("12.345");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" }).ClickAsync();

        await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync("USD amounts have at most 2 decimal places.");
        await Expect(dialog.GetByLabel("Amount")).ToHaveValueAsync("12.345");
        await Expect(shopper.Balance).ToContainTextAsync("1,000.00 MC");
    }
}
