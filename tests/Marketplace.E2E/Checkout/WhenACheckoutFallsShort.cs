using System.Text.RegularExpressions;
using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Checkout;

/// <summary>Issue 14, defect 3: running short at checkout is not a dead end.</summary>
[Collection("app")]
public sealed partial class WhenACheckoutFallsShort(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private static readonly Guid VoiceOver = new("9d0d0c7a-0000-4000-8000-000000000008");

    [Fact]
    public async Task Buying_the_shortfall_returns_to_the_same_checkout_and_the_purchase_goes_through()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        await Page.GotoAsync($"/checkout/{VoiceOver}?quantity=13");
        await Expect(Page.GetByText("You need 40.00 MC more.")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" })).ToBeDisabledAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy 40.00 MC" }).ClickAsync();

        var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "Buy credits" });
        await Expect(dialog.GetByLabel("Amount")).ToHaveValueAsync("40.00");
        // The conversion line is the server's (htmx), live as the amount changes.
        var conversion = dialog.Locator("#conversion");
        await Expect(conversion).ToHaveTextAsync("40.00 USD → 40.00 MC");
        await dialog.GetByLabel("Amount").FillAsync("41.50");
        await Expect(conversion).ToHaveTextAsync("41.50 USD → 41.50 MC");
        await dialog.GetByLabel("Amount").FillAsync("40.00");
        await Expect(conversion).ToHaveTextAsync("40.00 USD → 40.00 MC");
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "Demo" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" }).ClickAsync();
        await Page.WaitForURLAsync(DemoCheckoutUrl());
        await Page.GetByLabel("Card number").FillAsync(Shopper.PayingCard);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();

        await Page.WaitForURLAsync(SameCheckoutUrl());
        await Expect(Page.GetByRole(AriaRole.Article, new() { Name = "Custom voice-over (60 s)" })).ToContainTextAsync(new Regex(@"Current balance\s*1,040\.00 MC"));
        await Page.GetByLabel("Passphrase").FillAsync(shopper.Passphrase);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }).ClickAsync();

        await Page.WaitForURLAsync(OrderUrl());
        await Expect(shopper.HeaderBalance).ToHaveTextAsync("Balance: 0.00 MC");
    }

    [GeneratedRegex(@"/payments/demo/[0-9a-f-]{36}$")]
    private static partial Regex DemoCheckoutUrl();

    [GeneratedRegex(@"/checkout/9d0d0c7a-0000-4000-8000-000000000008\?quantity=13$")]
    private static partial Regex SameCheckoutUrl();

    [GeneratedRegex(@"/Orders/[0-9a-f-]{36}$")]
    private static partial Regex OrderUrl();
}
