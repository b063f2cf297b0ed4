using System.Text.RegularExpressions;
using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Checkout;

/// <summary>Acceptance scenario 1: register, buy credits, buy a product with a signed intent, see the verified receipt and the history.</summary>
[Collection("app")]
public sealed partial class WhenBuyingADigitalProduct(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private static readonly Guid IconPack = new("9d0d0c7a-0000-4000-8000-000000000001");

    [Fact]
    public async Task The_purchase_is_charged_once_its_receipt_verifies_and_the_history_shows_it_above_the_top_up()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await shopper.TopUpAsync("25.00", "USD", Shopper.PayingCard);
        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Succeeded");
        // The return page tells the header the balance changed; no reload needed.
        await Expect(shopper.HeaderBalance).ToHaveTextAsync("Balance: 1,025.00 MC");

        await Page.GotoAsync($"/products/{IconPack}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy now" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Checkout" })).ToBeVisibleAsync();
        var summary = Page.GetByRole(AriaRole.Article, new() { Name = "Icon pack: Line" });
        await Expect(summary).ToContainTextAsync(new Regex(@"Current balance\s*1,025\.00 MC"));
        await Expect(summary).ToContainTextAsync(new Regex(@"Balance after\s*1,012\.50 MC"));
        await Page.GetByLabel("Passphrase").FillAsync(shopper.Passphrase);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }).ClickAsync();

        await Page.WaitForURLAsync(OrderUrl());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Icon pack: Line" })).ToBeVisibleAsync();
        await Expect(shopper.ReceiptBadge).ToHaveTextAsync("Verified");
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Receipt" })).ToContainTextAsync("\"new_balance\":\"1012.50\"");
        await Expect(shopper.HeaderBalance).ToHaveTextAsync("Balance: 1,012.50 MC");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Orders", Exact = true }).ClickAsync();
        var orders = Page.GetByRole(AriaRole.Table, new() { Name = "Your orders" }).GetByRole(AriaRole.Rowgroup).Last.GetByRole(AriaRole.Row);
        await Expect(orders).ToHaveCountAsync(1);
        await Expect(orders.Nth(0)).ToContainTextAsync("Icon pack: Line");
        await Expect(orders.Nth(0)).ToContainTextAsync("12.50 MC");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Wallet", Exact = true }).ClickAsync();
        await Expect(shopper.Balance).ToContainTextAsync("1,012.50 MC");
        await Expect(shopper.HistoryRows).ToHaveCountAsync(3);
        await Expect(shopper.HistoryRows.Nth(0)).ToContainTextAsync("Purchase");
        await Expect(shopper.HistoryRows.Nth(0)).ToContainTextAsync("-12.50 MC");
        await Expect(shopper.HistoryRows.Nth(1).GetByRole(AriaRole.Cell, new() { Name = "Top-up", Exact = true })).ToBeVisibleAsync();
        await Expect(shopper.HistoryRows.Nth(1)).ToContainTextAsync("+25.00 MC");
        await Expect(shopper.HistoryRows.Nth(2)).ToContainTextAsync("Welcome grant");
    }

    [Fact]
    public async Task A_wrong_passphrase_is_told_in_the_page_and_nothing_is_sent_or_charged()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        var transactCalls = 0;
        Page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/api/wallet/transact", StringComparison.Ordinal))
                Interlocked.Increment(ref transactCalls);
        };

        await shopper.BuyAsync(IconPack, passphrase: "not my passphrase at all");

        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong passphrase");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" })).ToBeEnabledAsync();
        Assert.Equal(0, transactCalls);
        await Expect(shopper.HeaderBalance).ToHaveTextAsync("Balance: 1,000.00 MC");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Orders", Exact = true }).ClickAsync();
        await Expect(Page.GetByText("You have not bought anything yet.")).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Wallet", Exact = true }).ClickAsync();
        await Expect(shopper.Balance).ToContainTextAsync("1,000.00 MC");
        await Expect(shopper.HistoryRows).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_receipt_altered_in_this_browser_shows_as_not_verified()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await shopper.BuyAsync(IconPack);
        await Page.WaitForURLAsync(OrderUrl());
        await Expect(shopper.ReceiptBadge).ToHaveTextAsync("Verified");

        // Same signature, one changed byte in the stored receipt: the browser's own check must catch it.
        await Page.EvaluateAsync(@"() => {
            const key = Object.keys(localStorage).find(k => k.startsWith('marketplace.receipt.'));
            const stored = JSON.parse(localStorage.getItem(key));
            stored.receipt = stored.receipt.replace('""amount"":""12.50""', '""amount"":""1.25""');
            localStorage.setItem(key, JSON.stringify(stored));
        }");
        await Page.ReloadAsync();

        await Expect(shopper.ReceiptBadge).ToHaveTextAsync("Not verified");
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Receipt" })).ToContainTextAsync("\"amount\":\"1.25\"");
    }

    [GeneratedRegex(@"/Orders/[0-9a-f-]{36}$")]
    private static partial Regex OrderUrl();
}
