using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Payments;

/// <summary>Scenario 4: the shopper sees the bank details and a reference; an admin confirms (or rejects) on the dashboard.</summary>
[Collection("app")]
public sealed partial class WhenPayingByBankTransfer(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    // The admin registers once per app; later tests reuse the signed-in browser state (cookies and the key vault).
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> AdminStates = new();

    private readonly BrowserFixture _browser = browser;

    [Fact]
    public async Task The_shopper_sees_the_details_and_the_credits_arrive_once_an_admin_confirms()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        await shopper.StartTopUpAsync("1000.00", "USD", "Bank transfer");

        await Page.WaitForURLAsync(BankPageUrl());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Bank transfer" })).ToBeVisibleAsync();
        var details = Page.GetByRole(AriaRole.Region, new() { Name = "Bank details" });
        await Expect(details).ToContainTextAsync(AppServer.BankName);
        await Expect(details).ToContainTextAsync(AppServer.BankAccountNumber);
        await Expect(details).ToContainTextAsync("EXMPTZTZ");
        await Expect(details).ToContainTextAsync("1,000.00 USD");
        var reference = await ReferenceAsync();
        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Pending");

        await using (var admin = await AdminPageAsync())
        {
            var transfer = await admin.PendingTransferAsync(reference);
            await transfer.GetByLabel("Received amount").FillAsync("990.00");
            await transfer.GetByLabel("Note").FillAsync("10 USD bank fee");
            await transfer.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Expect(admin.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Confirmed {reference}: 990.00 MC credited for 990.00 USD received.");
            await Expect(admin.Page.GetByRole(AriaRole.Table, new() { Name = "Confirmed bank transfers" }).GetByRole(AriaRole.Row).Filter(new() { HasText = reference })).ToContainTextAsync("10 USD bank fee");
        }

        // The bank page polls its status until it is final.
        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Succeeded");
        await Page.GotoAsync("/Wallet");
        await Expect(shopper.Balance).ToContainTextAsync("1,990.00 MC");
        await Expect(shopper.HistoryRows.Nth(0)).ToContainTextAsync("+990.00 MC");
    }

    [Fact]
    public async Task Confirming_from_a_second_tab_that_still_shows_the_transfer_credits_nothing_more()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await shopper.StartTopUpAsync("1000.00", "USD", "Bank transfer");
        await Page.WaitForURLAsync(BankPageUrl());
        var reference = await ReferenceAsync();

        await using var admin = await AdminPageAsync();
        var secondTab = await admin.Context.NewPageAsync();
        await secondTab.GotoAsync("/Admin/BankTransfers");
        var first = await admin.PendingTransferAsync(reference);
        await first.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(admin.Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Confirmed {reference}");
        await secondTab.GetByRole(AriaRole.Region, new() { Name = $"Bank transfer {reference}" }).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        await Expect(secondTab.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{reference} was already confirmed; nothing was credited again.");
        await Page.GotoAsync("/Wallet");
        await Expect(shopper.Balance).ToContainTextAsync("2,000.00 MC");
        await Expect(shopper.HistoryRows).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task A_rejected_transfer_adds_nothing_and_the_shopper_sees_why()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await shopper.StartTopUpAsync("1500.00", "USD", "Bank transfer");
        await Page.WaitForURLAsync(BankPageUrl());
        var reference = await ReferenceAsync();

        await using (var admin = await AdminPageAsync())
        {
            var transfer = await admin.PendingTransferAsync(reference);
            await transfer.GetByLabel("Reason").FillAsync("No transfer with this reference arrived");
            await transfer.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
            await admin.Page.GetByRole(AriaRole.Region, new() { Name = $"Reject bank transfer {reference}?" }).GetByRole(AriaRole.Button, new() { Name = "Yes, reject it" }).ClickAsync();
            await Expect(admin.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Rejected {reference}; no credits were added.");
            await Expect(admin.Page.GetByRole(AriaRole.Table, new() { Name = "Rejected bank transfers" })).ToContainTextAsync(reference);
        }

        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Failed");
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No transfer with this reference arrived");
        await Page.GotoAsync("/Wallet");
        await Expect(shopper.Balance).ToContainTextAsync("1,000.00 MC");
        await Expect(shopper.HistoryRows).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task An_amount_below_the_minimum_is_refused_in_the_dialog()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        await shopper.StartTopUpAsync("100.00", "USD", "Bank transfer");

        var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "Buy credits" });
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Bank transfers start at 1,000.00 USD");
        await Expect(dialog.GetByRole(AriaRole.Radio, new() { Name = "Bank transfer" })).ToBeCheckedAsync();
    }

    [Fact]
    public async Task A_shopper_is_refused_the_dashboard_and_the_admin_api()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await shopper.StartTopUpAsync("1000.00", "USD", "Bank transfer");
        await Page.WaitForURLAsync(BankPageUrl());
        var paymentId = BankPageUrl().Match(Page.Url).Groups[1].Value;
        var token = await Page.Locator("meta[name=csrf-token]").GetAttributeAsync("content");

        var page = await Page.GotoAsync("/Admin/BankTransfers");
        var api = await Page.APIRequest.PostAsync($"/api/admin/payments/{paymentId}/confirm", new()
        {
            Headers = new Dictionary<string, string> { ["X-CSRF-Token"] = token! },
            DataObject = new { received_amount = "1000.00" },
        });

        Assert.Equal(403, page!.Status);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "You are not allowed to see that page" })).ToBeVisibleAsync();
        Assert.Equal(403, api.Status);
        await Page.GotoAsync("/Wallet");
        await Expect(shopper.Balance).ToContainTextAsync("1,000.00 MC");
    }

    private async Task<string> ReferenceAsync()
    {
        // The reference's definition holds the reference in bold and its Copy button.
        var reference = Page.GetByRole(AriaRole.Definition).Filter(new() { HasTextRegex = ReferencePattern() }).Locator("strong");
        await Expect(reference).ToHaveCountAsync(1);
        return (await reference.InnerTextAsync()).Trim();
    }

    [Fact]
    public async Task A_pending_transfer_is_reopened_from_the_wallets_payments_with_copy_buttons_and_a_rejection_shows_its_reason()
    {
        await Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await shopper.StartTopUpAsync("1000.00", "USD", "Bank transfer");
        await Page.WaitForURLAsync(BankPageUrl());
        var reference = await ReferenceAsync();

        // The tab is closed; the wallet still knows the transfer and opens its page again.
        await Page.GotoAsync("/Wallet");
        var payments = Page.GetByRole(AriaRole.Table, new() { Name = "Payments" });
        var row = payments.GetByRole(AriaRole.Row).Filter(new() { HasText = reference });
        await Expect(row).ToContainTextAsync("Pending");
        await Expect(row).ToContainTextAsync("1,000.00 USD");
        await row.GetByRole(AriaRole.Link, new() { Name = $"Bank transfer {reference}" }).ClickAsync();
        await Page.WaitForURLAsync(BankPageUrl());
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Bank details" })).ToContainTextAsync(AppServer.BankAccountNumber);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Copy reference" }).ClickAsync();
        await Expect(Page.GetByText("Copied the reference.")).ToBeVisibleAsync();
        Assert.Equal(reference, await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Copy account number" }).ClickAsync();
        Assert.Equal(AppServer.BankAccountNumber, await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        await using (var admin = await AdminPageAsync())
        {
            var transfer = await admin.PendingTransferAsync(reference);
            await transfer.GetByLabel("Reason").FillAsync("The amount never arrived");
            await transfer.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
            await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, reject it" }).ClickAsync();
            await Expect(admin.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Rejected {reference}; no credits were added.");
        }

        await Page.GotoAsync("/Wallet");
        await Expect(row).ToContainTextAsync("Failed");
        await Expect(row).ToContainTextAsync("Reason: The amount never arrived");
    }

    /// <summary>A second browser context signed in as the bank admin, on the dashboard.</summary>
    private async Task<AdminPage> AdminPageAsync()
    {
        var state = await AdminStates.GetOrAdd(App.BaseUrl, _ => new Lazy<Task<string>>(RegisterAdminAsync)).Value;
        var context = await _browser.Browser.NewContextAsync(new() { BaseURL = App.BaseUrl, StorageState = state });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Admin");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Admin sections" }).GetByRole(AriaRole.Link, new() { Name = "Bank transfers" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bank transfers", Level = 1 })).ToBeVisibleAsync();
        return new AdminPage(context, page);
    }

    private async Task<string> RegisterAdminAsync()
    {
        await using var context = await _browser.NewContextAsync(App.BaseUrl);
        var page = await context.NewPageAsync();
        var admin = new Shopper(page, AppServer.BankAdminEmail);
        await admin.RegisterAsync();
        await admin.VerifyEmailAsync();
        await App.GrantAdminAsync(AppServer.BankAdminEmail);
        return await context.StorageStateAsync();
    }

    private sealed class AdminPage(IBrowserContext context, IPage page) : IAsyncDisposable
    {
        public IBrowserContext Context => context;

        public IPage Page => page;

        public async Task<ILocator> PendingTransferAsync(string reference)
        {
            var transfer = page.GetByRole(AriaRole.Region, new() { Name = $"Bank transfer {reference}" });
            await Expect(transfer).ToBeVisibleAsync();
            return transfer;
        }

        public ValueTask DisposeAsync() => context.DisposeAsync();
    }

    [GeneratedRegex(@"/payments/bank/([0-9a-f-]{36})$")]
    private static partial Regex BankPageUrl();

    [GeneratedRegex(@"^\s*MC-[0-9A-Z]{4}-[0-9A-Z]{4}\s*(Copy\s*)?$")]
    private static partial Regex ReferencePattern();
}
