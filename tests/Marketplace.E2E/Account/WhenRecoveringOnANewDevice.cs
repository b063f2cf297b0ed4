using System.Text.RegularExpressions;
using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Account;

[Collection("app")]
public sealed partial class WhenRecoveringOnANewDevice(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task Registering_shows_the_recovery_step_which_wants_the_right_group_before_the_wallet()
    {
        var shopper = new Shopper(Page);
        await Page.GotoAsync("/Account/Register");
        await Page.GetByLabel("Email").FillAsync(shopper.Email);
        await Page.GetByLabel("Display name").FillAsync("Careful Shopper");
        await Page.GetByLabel("Passphrase", new() { Exact = true }).FillAsync(shopper.Passphrase);
        await Page.GetByLabel("Confirm passphrase").FillAsync(shopper.Passphrase);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Save your recovery code" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Download key backup" })).ToBeVisibleAsync();
        await Page.GetByLabel(GroupQuestion()).FillAsync("0000");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm and continue" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("of the code above");
        Assert.EndsWith("/Account/Register", Page.Url, StringComparison.Ordinal);

        await shopper.ConfirmRecoveryCodeAsync();

        await Page.WaitForURLAsync(WalletUrl());
        await Expect(shopper.Balance).ToContainTextAsync("1,000.00 MC");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Set up a recovery code" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_fresh_browser_recovers_with_the_code_sees_the_same_balance_and_the_old_browser_is_signed_out()
    {
        var owner = new Shopper(Page);
        await owner.RegisterAsync();
        await owner.TopUpAsync("25.00", "USD", Shopper.PayingCard);
        await Expect(owner.PaymentStatus).ToHaveTextAsync("Succeeded");
        await Page.GotoAsync("/Wallet");
        await Expect(owner.Balance).ToContainTextAsync("1,025.00 MC");
        var code = owner.RecoveryCode!;

        await using var freshContext = await NewContextAsync();
        var freshPage = await freshContext.NewPageAsync();
        var onNewDevice = new Shopper(freshPage, owner.Email);
        await onNewDevice.RecoverAsync(code);

        await Expect(onNewDevice.Balance).ToContainTextAsync("1,025.00 MC");
        Assert.NotEqual(code, onNewDevice.RecoveryCode);
        await Page.GotoAsync("/Wallet");
        await Page.WaitForURLAsync(LoginUrl());
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Log in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_browsers_derivation_matches_the_vectors_computed_with_node()
    {
        await Page.GotoAsync("/");

        var publicKey = await Page.EvaluateAsync<string>(
            "async (code) => (await (await import('/js/account.js')).deriveRecoveryKey(code)).publicKey",
            "7kq4 9xpd m2rb vh8s jt3n w5ca 6eyf");

        Assert.Equal("2Vq9r7hT0T3jbuRRs-4_tHC3V22EQjzptzNGflRyVTA", publicKey);
    }

    [GeneratedRegex(@"^Group (\d) of your recovery code$")]
    private static partial Regex GroupQuestion();

    [GeneratedRegex(@"/Wallet$")]
    private static partial Regex WalletUrl();

    [GeneratedRegex(@"/Account/Login")]
    private static partial Regex LoginUrl();
}
