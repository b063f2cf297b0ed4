using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Wallet;

[Collection("app")]
public sealed partial class WhenBuyingAPackage(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task The_popular_card_paid_with_the_demo_card_adds_the_credits_and_the_bonus_as_two_lines()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy credits" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "Buy credits" });
        var choices = dialog.GetByRole(AriaRole.Group, new() { Name = "What to buy" });
        var popular = choices.GetByRole(AriaRole.Radio, new() { Name = "Popular" });
        var custom = choices.GetByRole(AriaRole.Radio, new() { Name = "Custom", Exact = true });
        await Expect(custom).ToBeCheckedAsync();
        await Expect(choices.GetByText("+ 50.00 MC bonus (10 %)")).ToBeVisibleAsync();

        // Typing an amount is choosing a custom amount; picking the card again makes the package the choice.
        await popular.CheckAsync();
        await dialog.GetByLabel("Amount").FillAsync("5.00");
        await Expect(custom).ToBeCheckedAsync();
        await popular.CheckAsync();
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Payment method" }).GetByRole(AriaRole.Radio, new() { Name = "Demo" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" }).ClickAsync();

        await Page.WaitForURLAsync(DemoCheckoutUrl());
        await Expect(Page.GetByText("500.00 MC and a bonus of 50.00 MC")).ToBeVisibleAsync();
        await Expect(Page.GetByText("44.99 USD")).ToBeVisibleAsync();
        await Page.GetByLabel("Card number").FillAsync(Shopper.PayingCard);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();

        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Succeeded");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Back to the wallet" }).ClickAsync();
        await Expect(shopper.Balance).ToContainTextAsync("1,550.00 MC");
        await Expect(shopper.HistoryRows).ToHaveCountAsync(3);
        await Expect(shopper.HistoryRows.Nth(0)).ToContainTextAsync("Bonus 10 % on Popular");
        await Expect(shopper.HistoryRows.Nth(0).GetByRole(AriaRole.Cell, new() { Name = "Bonus grant", Exact = true })).ToBeVisibleAsync();
        await Expect(shopper.HistoryRows.Nth(0)).ToContainTextAsync("+50.00 MC");
        await Expect(shopper.HistoryRows.Nth(1).GetByRole(AriaRole.Cell, new() { Name = "Top-up", Exact = true })).ToBeVisibleAsync();
        await Expect(shopper.HistoryRows.Nth(1)).ToContainTextAsync("+500.00 MC");
    }

    [GeneratedRegex(@"/payments/demo/[0-9a-f-]{36}$")]
    private static partial Regex DemoCheckoutUrl();
}
