using System.Text.RegularExpressions;
using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Payments;

[Collection("stripe")]
public sealed partial class WhenPayingByCardWithStripe(StripeAppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task The_test_card_on_stripes_page_pays_and_the_return_page_shows_the_new_balance()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        await ContinueToStripeAsync("25.00");
        await Page.GetByLabel("Card number").FillAsync("4242 4242 4242 4242");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();

        await Page.WaitForURLAsync(ReturnPage());
        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Succeeded", new() { Timeout = 15_000 });
        await Expect(shopper.Balance).ToContainTextAsync("1,025.00 MC");
    }

    [Fact]
    public async Task The_declining_card_is_refused_on_stripes_page_and_nothing_is_credited()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        await ContinueToStripeAsync("25.00");
        await Page.GetByLabel("Card number").FillAsync("4000 0000 0000 0002");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Your card was declined.");
        await Page.GotoAsync(App.BaseUrl + "/Wallet");
        await Expect(shopper.Balance).ToContainTextAsync("1,000.00 MC");
    }

    [Fact]
    public async Task Going_back_from_stripes_page_cancels_the_payment()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        await ContinueToStripeAsync("25.00");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Back" }).ClickAsync();

        await Page.WaitForURLAsync(PaymentPage());
        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Cancelled");
        await Page.GotoAsync(App.BaseUrl + "/Wallet");
        await Expect(shopper.Balance).ToContainTextAsync("1,000.00 MC");
    }

    private async Task ContinueToStripeAsync(string amount)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy credits" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "Buy credits" });
        await dialog.GetByLabel("Amount").FillAsync(amount);
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Payment method" }).GetByRole(AriaRole.Radio, new() { Name = "Card (Stripe)" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" }).ClickAsync();
        await Page.WaitForURLAsync(StripeCheckout());
    }

    [GeneratedRegex(@"/pay/cs_test_[0-9a-f]+$")]
    private static partial Regex StripeCheckout();

    [GeneratedRegex(@"/payments/[0-9a-f-]{36}\?session_id=cs_test_[0-9a-f]+$")]
    private static partial Regex ReturnPage();

    [GeneratedRegex(@"/payments/[0-9a-f-]{36}$")]
    private static partial Regex PaymentPage();
}
