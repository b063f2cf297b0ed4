using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Hosting;

[Collection("app")]
public sealed class WhenPagesRunUnderTheContentSecurityPolicy(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task Searching_registering_topping_up_buying_and_verifying_a_receipt_trigger_no_violation()
    {
        var violations = await CspViolations.WatchAsync(Page);

        await Page.GotoAsync("/");
        await Page.GetByLabel("Search products").FillAsync("voice");
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Products" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);

        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await Expect(shopper.Balance).ToContainTextAsync("1,000.00 MC");
        await shopper.TopUpAsync("5.00", "USD", Shopper.PayingCard);
        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Succeeded");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Back to the wallet" }).ClickAsync();
        await Expect(shopper.Balance).ToContainTextAsync("1,005.00 MC");
        await shopper.BuyAsync(new Guid("9d0d0c7a-0000-4000-8000-000000000001"));
        await Expect(shopper.ReceiptBadge).ToHaveTextAsync("Verified");
        await Page.GotoAsync("/Account/Backup");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Download backup" })).ToBeEnabledAsync();

        await CspViolations.SettleAsync(Page);
        Assert.Empty(violations.Seen);
    }

    [Fact]
    public async Task An_inline_script_would_be_reported()
    {
        var violations = await CspViolations.WatchAsync(Page);
        await Page.GotoAsync("/");

        // What a page with an onclick attribute would do: the browser refuses and reports it.
        await Page.EvaluateAsync("() => { const b = document.createElement('button'); b.setAttribute('onclick', 'void 0'); document.body.append(b); b.click(); }");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (violations.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Page.WaitForTimeoutAsync(50);
        }

        Assert.Contains(violations.Seen, v => v.Contains("script-src", StringComparison.Ordinal));
    }
}
