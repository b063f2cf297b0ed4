using System.Text.RegularExpressions;
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

        await sender.ReviewTransferAsync(recipient.Email, "10.5");
        // The review names whose account it is, before anything is signed.
        await Expect(sender.TransferReview).ToContainTextAsync(new Regex($@"To\s*Wallet Shopper\s*Email\s*{Regex.Escape(recipient.Email)}\s*Amount\s*10\.50 MC"));
        await Page.GetByLabel("Passphrase").FillAsync(sender.Passphrase);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send credits" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Sent 10.50 MC to Wallet Shopper.");
        var receipt = Page.GetByRole(AriaRole.Region, new() { Name = "Credits sent" });
        await Expect(receipt).ToContainTextAsync(new Regex(@"Amount\s*10\.50 MC\s*To\s*Wallet Shopper\s*Your balance\s*989\.50 MC"));
        // The form is cleared: one more passphrase cannot send the same credits again.
        await Expect(Page.GetByLabel("Email")).ToHaveValueAsync("");
        await Expect(Page.GetByLabel("Amount (MC)")).ToHaveValueAsync("");
        await Expect(sender.TransferReview).ToBeHiddenAsync();
        await Expect(receipt.GetByRole(AriaRole.Link, new() { Name = "View the receipt" })).ToHaveAttributeAsync("href", new Regex("^/Orders/[0-9a-f-]{36}$"));
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

        await sender.ReviewTransferAsync($"nobody-{Guid.NewGuid():N}@example.test", "5.00");

        await Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("No account that can receive credits has this email address. Check it with the recipient; they must have verified it. Nothing was sent.");
        await Expect(sender.TransferReview).ToBeHiddenAsync();
        await Expect(sender.HeaderBalance).ToHaveTextAsync("Balance: 1,000.00 MC");
    }
}
