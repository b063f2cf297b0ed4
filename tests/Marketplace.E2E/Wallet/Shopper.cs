using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Marketplace.E2E.Wallet;

/// <summary>A shopper driven through the real pages: register, log in and out, top up with the demo card.</summary>
public sealed partial class Shopper(IPage page, string? email = null)
{
    public const string PayingCard = "4242 4242 4242 4242";
    public const string DecliningCard = "4000 0000 0000 0002";

    public string Email { get; } = email ?? $"shopper-{Guid.NewGuid():N}@example.test";

    public string Passphrase { get; } = "correct horse battery staple";

    /// <summary>The recovery code the last recovery step showed (registering, or recovering, shows a new one).</summary>
    public string? RecoveryCode { get; private set; }

    /// <summary>Registers, saves the recovery code the step after it shows (typing back the group it asks for), and lands on the wallet.</summary>
    public async Task RegisterAsync()
    {
        await page.GotoAsync("/Account/Register");
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Display name").FillAsync("Wallet Shopper");
        await page.GetByLabel("Passphrase", new() { Exact = true }).FillAsync(Passphrase);
        await page.GetByLabel("Confirm passphrase").FillAsync(Passphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await ConfirmRecoveryCodeAsync();
        await page.WaitForURLAsync(WalletUrl());
    }

    /// <summary>On the recovery step: reads the new code, types back the group asked for, and continues.</summary>
    public async Task ConfirmRecoveryCodeAsync()
    {
        var code = page.GetByLabel("New recovery code", new() { Exact = true });
        await Assertions.Expect(code).ToHaveTextAsync(RecoveryCodePattern());
        RecoveryCode = (await code.TextContentAsync())!.Trim();
        var question = (await page.GetByText(GroupQuestion()).TextContentAsync())!;
        var group = int.Parse(GroupQuestion().Match(question).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel(GroupQuestion()).FillAsync(RecoveryCode.Split('-')[group - 1]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and continue" }).ClickAsync();
    }

    /// <summary>Follows the verification link from the Development mailbox (/dev/mail), as the owner of the address would.</summary>
    public async Task VerifyEmailAsync()
    {
        await page.GotoAsync("/dev/mail");
        await page.GetByRole(AriaRole.Article, new() { Name = $"Confirm your email address for Marketplace to {Email}" }).GetByRole(AriaRole.Link).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify email" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{Email} is verified");
    }

    /// <summary>Recovers the account on this (fresh) browser with <paramref name="code"/>, then saves the new code it is given.</summary>
    public async Task RecoverAsync(string code)
    {
        await page.GotoAsync("/Account/Recover");
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Recovery code", new() { Exact = true }).FillAsync(code);
        await page.GetByLabel("Passphrase", new() { Exact = true }).FillAsync(Passphrase);
        await page.GetByLabel("Confirm passphrase").FillAsync(Passphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Recover account" }).ClickAsync();
        await ConfirmRecoveryCodeAsync();
        await page.WaitForURLAsync(WalletUrl());
    }

    public async Task LogOutAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Log in" })).ToBeVisibleAsync();
    }

    public async Task LogInAsync()
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Log in" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Passphrase").FillAsync(Passphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(WalletUrl());
    }

    /// <summary>Buy credits on the wallet page, pay on the demo checkout with <paramref name="card"/>, and land on the return page.</summary>
    public async Task TopUpAsync(string amount, string currency, string card)
    {
        await StartTopUpAsync(amount, currency, "Demo");

        await page.WaitForURLAsync(DemoCheckoutUrl());
        await page.GetByLabel("Card number").FillAsync(card);
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();
        await page.WaitForURLAsync(ReturnPageUrl());
    }

    /// <summary>Buy credits on the wallet page with <paramref name="paymentMethod"/> and continue; the caller waits for where that leads.</summary>
    public async Task StartTopUpAsync(string amount, string currency, string paymentMethod)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Buy credits" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Buy credits" });
        await dialog.GetByLabel("Amount").FillAsync(amount);
        await dialog.GetByLabel("Currency").SelectOptionAsync(currency);
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Payment method" }).GetByRole(AriaRole.Radio, new() { Name = paymentMethod }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" }).ClickAsync();
    }

    /// <summary>Opens the product page, clicks Buy now, and signs the purchase with <paramref name="passphrase"/> (the shopper's own unless given).</summary>
    public async Task BuyAsync(Guid productId, string? passphrase = null)
    {
        await page.GotoAsync($"/products/{productId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Buy now" }).ClickAsync();
        await page.WaitForURLAsync(CheckoutUrl());
        await page.GetByLabel("Passphrase").FillAsync(passphrase ?? Passphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }).ClickAsync();
    }

    /// <summary>Fills the wallet's transfer page and asks for the review step; the caller checks what it shows.</summary>
    public async Task ReviewTransferAsync(string recipientEmail, string amount)
    {
        await page.GotoAsync("/Wallet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send credits" }).ClickAsync();
        await page.WaitForURLAsync(TransferUrl());
        await page.GetByLabel("Email").FillAsync(recipientEmail);
        await page.GetByLabel("Amount").FillAsync(amount);
        await page.GetByRole(AriaRole.Button, new() { Name = "Review transfer" }).ClickAsync();
    }

    /// <summary>Sends credits from the wallet's transfer page: review, then sign with the passphrase.</summary>
    public async Task SendCreditsAsync(string recipientEmail, string amount)
    {
        await ReviewTransferAsync(recipientEmail, amount);
        await page.GetByLabel("Passphrase").FillAsync(Passphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send credits" }).ClickAsync();
    }

    /// <summary>The transfer page's review step (recipient's name, email and amount), shown before signing.</summary>
    public ILocator TransferReview => page.GetByRole(AriaRole.Region, new() { Name = "Check before you send" });

    public ILocator Balance => page.GetByRole(AriaRole.Region, new() { Name = "Wallet balance" });

    /// <summary>The available balance in the site header, on every page.</summary>
    public ILocator HeaderBalance => page.GetByRole(AriaRole.Navigation, new() { Name = "Site" }).GetByRole(AriaRole.Link, new() { Name = "Balance" });

    /// <summary>The Verified / Not verified badge of the receipt on an order page.</summary>
    public ILocator ReceiptBadge => page.GetByRole(AriaRole.Region, new() { Name = "Receipt" }).GetByRole(AriaRole.Status);

    /// <summary>The history's body rows (the header row excluded), newest first.</summary>
    public ILocator HistoryRows => page.GetByRole(AriaRole.Table, new() { Name = "Transaction history" })
        .GetByRole(AriaRole.Rowgroup).Last.GetByRole(AriaRole.Row);

    public ILocator PaymentStatus => page.GetByRole(AriaRole.Status);

    [GeneratedRegex(@"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$")]
    private static partial Regex RecoveryCodePattern();

    [GeneratedRegex(@"^Group (\d) of your recovery code$")]
    private static partial Regex GroupQuestion();

    [GeneratedRegex(@"/Wallet$")]
    private static partial Regex WalletUrl();

    [GeneratedRegex(@"/payments/demo/[0-9a-f-]{36}$")]
    private static partial Regex DemoCheckoutUrl();

    [GeneratedRegex(@"/payments/[0-9a-f-]{36}$")]
    private static partial Regex ReturnPageUrl();

    [GeneratedRegex(@"/Wallet/Transfer$")]
    private static partial Regex TransferUrl();

    [GeneratedRegex(@"/checkout/[0-9a-f-]{36}\?quantity=1$")]
    private static partial Regex CheckoutUrl();
}
