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

    public async Task RegisterAsync()
    {
        await page.GotoAsync("/Account/Register");
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Display name").FillAsync("Wallet Shopper");
        await page.GetByLabel("Passphrase", new() { Exact = true }).FillAsync(Passphrase);
        await page.GetByLabel("Confirm passphrase").FillAsync(Passphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
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
        await page.GetByRole(AriaRole.Button, new() { Name = "Buy credits" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Buy credits" });
        await dialog.GetByLabel("Amount").FillAsync(amount);
        await dialog.GetByLabel("Currency").SelectOptionAsync(currency);
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Payment method" }).GetByRole(AriaRole.Radio, new() { Name = "Demo" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" }).ClickAsync();

        await page.WaitForURLAsync(DemoCheckoutUrl());
        await page.GetByLabel("Card number").FillAsync(card);
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();
        await page.WaitForURLAsync(ReturnPageUrl());
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

    /// <summary>Sends credits from the wallet's transfer page.</summary>
    public async Task SendCreditsAsync(string recipientEmail, string amount)
    {
        await page.GotoAsync("/Wallet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send credits" }).ClickAsync();
        await page.WaitForURLAsync(TransferUrl());
        await page.GetByLabel("Email").FillAsync(recipientEmail);
        await page.GetByLabel("Amount").FillAsync(amount);
        await page.GetByLabel("Passphrase").FillAsync(Passphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send credits" }).ClickAsync();
    }

    public ILocator Balance => page.GetByRole(AriaRole.Region, new() { Name = "Wallet balance" });

    /// <summary>The available balance in the site header, on every page.</summary>
    public ILocator HeaderBalance => page.GetByRole(AriaRole.Navigation, new() { Name = "Site" }).GetByRole(AriaRole.Link, new() { Name = "Balance" });

    /// <summary>The Verified / Not verified badge of the receipt on an order page.</summary>
    public ILocator ReceiptBadge => page.GetByRole(AriaRole.Region, new() { Name = "Receipt" }).GetByRole(AriaRole.Status);

    /// <summary>The history's body rows (the header row excluded), newest first.</summary>
    public ILocator HistoryRows => page.GetByRole(AriaRole.Table, new() { Name = "Transaction history" })
        .GetByRole(AriaRole.Rowgroup).Last.GetByRole(AriaRole.Row);

    public ILocator PaymentStatus => page.GetByRole(AriaRole.Status);

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
