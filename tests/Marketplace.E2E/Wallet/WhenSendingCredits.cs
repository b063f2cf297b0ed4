using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Wallet;

[Collection("app")]
public sealed class WhenSendingCredits(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task The_sender_signs_a_transfer_and_both_wallets_show_it()
    {
        await using var recipientContext = await NewContextAsync();
        var recipientPage = await recipientContext.NewPageAsync();
        var recipient = new Shopper(recipientPage);
        await recipient.RegisterAsync();
        await recipient.VerifyEmailAsync();
        var sender = new Shopper(Page);
        await sender.RegisterAsync();

        await sender.SendCreditsAsync(recipient.Email, "10.5");

        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Sent 10.50 MC to {recipient.Email}.");
        await Expect(sender.HeaderBalance).ToHaveTextAsync("Balance: 989.50 MC");
        await Expect(sender.Balance).ToContainTextAsync("989.50 MC");
        await Page.GotoAsync("/Wallet");
        await Expect(sender.HistoryRows.Nth(0)).ToContainTextAsync("-10.50 MC");
        await recipientPage.GotoAsync("/Wallet");
        await Expect(recipient.Balance).ToContainTextAsync("1,010.50 MC");
        await Expect(recipient.HistoryRows.Nth(0)).ToContainTextAsync("+10.50 MC");
    }

    [Fact]
    public async Task An_unknown_recipient_is_told_and_nothing_leaves_the_wallet()
    {
        var sender = new Shopper(Page);
        await sender.RegisterAsync();

        await sender.SendCreditsAsync($"nobody-{Guid.NewGuid():N}@example.test", "5.00");

        await Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("There is no account with that email address. Nothing was sent.");
        await Expect(sender.HeaderBalance).ToHaveTextAsync("Balance: 1,000.00 MC");
    }
}
