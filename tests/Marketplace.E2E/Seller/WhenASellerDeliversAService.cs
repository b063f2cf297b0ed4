using System.Text.RegularExpressions;
using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Seller;

/// <summary>Acceptance scenario 7 in the browser: a registered user lists a service, a buyer's credits are held, the seller delivers.</summary>
[Collection("app")]
public sealed partial class WhenASellerDeliversAService(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task The_buyers_credits_are_held_until_delivery_then_the_seller_is_paid_the_price_minus_commission()
    {
        await using var sellerContext = await NewContextAsync();
        var sellerPage = await sellerContext.NewPageAsync();
        var seller = new Shopper(sellerPage);
        await seller.RegisterAsync();
        var title = $"Mastering session {Guid.NewGuid():N}";
        var productUrl = await ListServiceAsync(sellerPage, title, "40.00");

        var buyer = new Shopper(Page);
        await buyer.RegisterAsync();
        await Page.GotoAsync(productUrl);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy now" }).ClickAsync();
        await Page.GetByLabel("Passphrase").FillAsync(buyer.Passphrase);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }).ClickAsync();
        await Page.WaitForURLAsync(OrderUrl());
        await Expect(Page.GetByText("Awaiting delivery (credits held)")).ToBeVisibleAsync();
        await Expect(buyer.ReceiptBadge).ToHaveTextAsync("Verified");
        var orderUrl = Page.Url;
        await Page.GotoAsync("/Wallet");
        await Expect(buyer.Balance).ToContainTextAsync(new Regex(@"Available\s*960\.00 MC\s*Held\s*40\.00 MC"));

        await sellerPage.GotoAsync("/Seller");
        var openOrders = sellerPage.GetByRole(AriaRole.Table, new() { Name = "Service orders to deliver" });
        var row = openOrders.GetByRole(AriaRole.Row).Filter(new() { HasText = title });
        await Expect(row).ToContainTextAsync("40.00 MC");
        await row.GetByRole(AriaRole.Button, new() { Name = "Mark delivered" }).ClickAsync();

        await Expect(sellerPage.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Order for {title} delivered.");
        await Expect(sellerPage.GetByText("No service orders are waiting for you.")).ToBeVisibleAsync();
        await Expect(seller.HeaderBalance).ToHaveTextAsync("Balance: 1,036.00 MC");
        var sales = sellerPage.GetByRole(AriaRole.Table, new() { Name = "My sales" });
        await Expect(sales.GetByRole(AriaRole.Row).Filter(new() { HasText = title })).ToContainTextAsync("Delivered");

        await Page.GotoAsync("/Wallet");
        await Expect(buyer.Balance).ToContainTextAsync(new Regex(@"Available\s*960\.00 MC\s*Held\s*0\.00 MC"));
        // The history says what became of the hold, and links to the order.
        await Expect(buyer.HistoryRows.Nth(0)).ToContainTextAsync("Hold · Delivered");
        await Expect(buyer.HistoryRows.Nth(0).GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", new Uri(orderUrl).AbsolutePath);
        await Page.GotoAsync(orderUrl);
        await Expect(Page.GetByText("Delivered", new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Cancelling_returns_the_held_credits_to_the_buyer()
    {
        await using var sellerContext = await NewContextAsync();
        var sellerPage = await sellerContext.NewPageAsync();
        var seller = new Shopper(sellerPage);
        await seller.RegisterAsync();
        var title = $"Tuning session {Guid.NewGuid():N}";
        var productUrl = await ListServiceAsync(sellerPage, title, "15.50");

        var buyer = new Shopper(Page);
        await buyer.RegisterAsync();
        await Page.GotoAsync(productUrl);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy now" }).ClickAsync();
        await Page.GetByLabel("Passphrase").FillAsync(buyer.Passphrase);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }).ClickAsync();
        await Page.WaitForURLAsync(OrderUrl());
        await Expect(buyer.HeaderBalance).ToHaveTextAsync("Balance: 984.50 MC");

        await sellerPage.GotoAsync("/Seller");
        var row = sellerPage.GetByRole(AriaRole.Table, new() { Name = "Service orders to deliver" }).GetByRole(AriaRole.Row).Filter(new() { HasText = title });
        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel order" }).ClickAsync();
        // A server-rendered confirmation first, naming the order; nothing has moved yet.
        var confirm = sellerPage.GetByRole(AriaRole.Region, new() { Name = $"Cancel the order for {title}?" });
        await Expect(confirm).ToBeFocusedAsync();
        await Expect(confirm).ToContainTextAsync("gets the 15.50 MC held for it back");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the order" }).ClickAsync();
        await Expect(sellerPage.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Order for {title} cancelled.");
        await Expect(seller.HeaderBalance).ToHaveTextAsync("Balance: 1,000.00 MC");

        await Page.ReloadAsync();
        await Expect(Page.GetByText("Cancelled (credits returned)")).ToBeVisibleAsync();
        await Expect(buyer.HeaderBalance).ToHaveTextAsync("Balance: 1,000.00 MC");
    }

    /// <summary>Lists a service on /Seller and returns its product page's path.</summary>
    private static async Task<string> ListServiceAsync(IPage sellerPage, string title, string price)
    {
        await sellerPage.GetByRole(AriaRole.Link, new() { Name = "Sell" }).ClickAsync();
        var form = sellerPage.GetByRole(AriaRole.Region, new() { Name = "List a product" });
        await form.GetByLabel("Title").FillAsync(title);
        await form.GetByLabel("Description").FillAsync("One hour, delivered as a video call.");
        await form.GetByLabel("Price").FillAsync(price);
        await form.GetByRole(AriaRole.Group, new() { Name = "Kind" }).GetByRole(AriaRole.Radio, new() { Name = "Service" }).CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "List product" }).ClickAsync();
        var products = sellerPage.GetByRole(AriaRole.Table, new() { Name = "My products" });
        var link = products.GetByRole(AriaRole.Link, new() { Name = title });
        await Expect(link).ToBeVisibleAsync();
        return await link.GetAttributeAsync("href") ?? throw new InvalidOperationException("The listed product has no link.");
    }

    [GeneratedRegex(@"/Orders/[0-9a-f-]{36}$")]
    private static partial Regex OrderUrl();
}
