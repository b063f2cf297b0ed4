using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Wallet;

[Collection("app")]
public sealed class WhenToppingUpWithTheDemoCard(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task A_new_shopper_starts_with_the_welcome_grant_and_a_paid_top_up_adds_to_it()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await Expect(shopper.Balance).ToContainTextAsync("1,000.00 MC");

        await shopper.TopUpAsync("25.00", "USD", Shopper.PayingCard);

        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Succeeded");
        await Expect(shopper.Balance).ToContainTextAsync("1,025.00 MC");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Back to the wallet" }).ClickAsync();
        await Expect(shopper.Balance).ToContainTextAsync("1,025.00 MC");
        await Expect(shopper.HistoryRows).ToHaveCountAsync(2);
        await Expect(shopper.HistoryRows.Nth(0)).ToContainTextAsync("+25.00 MC");
        await Expect(shopper.HistoryRows.Nth(0).GetByRole(AriaRole.Cell, new() { Name = "Top-up", Exact = true })).ToBeVisibleAsync();
        await Expect(shopper.HistoryRows.Nth(1)).ToContainTextAsync("Welcome grant");
        await Expect(shopper.HistoryRows.Nth(1)).ToContainTextAsync("+1,000.00 MC");
    }

    [Fact]
    public async Task A_declined_card_fails_the_payment_and_adds_nothing()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        await shopper.TopUpAsync("25.00", "USD", Shopper.DecliningCard);

        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Failed");
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Card declined");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Try again" }).ClickAsync();
        var buyCredits = Page.GetByRole(AriaRole.Dialog, new() { Name = "Buy credits" });
        await Expect(buyCredits).ToBeVisibleAsync();
        await buyCredits.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();
        await Expect(buyCredits).ToBeHiddenAsync();
        await Expect(shopper.Balance).ToContainTextAsync("1,000.00 MC");
        await Expect(shopper.HistoryRows).ToHaveCountAsync(1);
        await Expect(shopper.HistoryRows.Nth(0)).ToContainTextAsync("Welcome grant");
    }

    [Fact]
    public async Task The_balance_is_the_same_after_logging_out_and_in_again()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await shopper.TopUpAsync("25.00", "USD", Shopper.PayingCard);
        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Succeeded");

        await shopper.LogOutAsync();
        await shopper.LogInAsync();

        await Expect(shopper.Balance).ToContainTextAsync("1,025.00 MC");
    }
}
