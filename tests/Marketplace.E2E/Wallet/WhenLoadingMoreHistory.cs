using Marketplace.Core.Identity;
using Marketplace.Core.Payments;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Wallet;

[Collection("app")]
public sealed class WhenLoadingMoreHistory(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private const int TopUps = 24;

    [Fact]
    public async Task Load_more_appends_the_older_rows_moves_focus_to_the_first_of_them_and_disappears_at_the_end()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await PaidTopUpsAsync(shopper.Email, TopUps);
        await Page.ReloadAsync();
        var loadMore = Page.GetByRole(AriaRole.Button, new() { Name = "Load more" });

        // 20 entries and the row holding "Load more".
        await Expect(shopper.HistoryRows).ToHaveCountAsync(21);
        await Expect(shopper.HistoryRows.Nth(0)).ToContainTextAsync($"Top-up {TopUps}.00 USD");
        // By keyboard: Space on the link-styled button, as on a button.
        await loadMore.FocusAsync();
        await Page.Keyboard.PressAsync("Space");

        await Expect(shopper.HistoryRows).ToHaveCountAsync(TopUps + 1);
        // Focus moves to the first new row, not to <body> (the next Tab would otherwise go to the logo).
        await Expect(shopper.HistoryRows.Nth(20)).ToBeFocusedAsync();
        await Expect(loadMore).ToHaveCountAsync(0);
        await Expect(shopper.HistoryRows.Nth(0)).ToContainTextAsync($"Top-up {TopUps}.00 USD");
        await Expect(shopper.HistoryRows.Nth(20)).ToContainTextAsync("Top-up 4.00 USD");
        await Expect(shopper.HistoryRows.Nth(TopUps)).ToContainTextAsync("Welcome grant");
    }

    // Straight through PaymentService, the same path the demo checkout takes, to keep the test quick.
    private async Task PaidTopUpsAsync(string email, int count)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
        var normalized = User.NormalizeEmail(email);
        var userId = await db.Users.Where(u => u.Email == normalized).Select(u => u.Id).SingleAsync();
        for (var dollars = 1; dollars <= count; dollars++)
        {
            var started = Assert.IsType<InitiateResult.Started>(await payments.InitiateAsync(userId, $"{dollars}.00", "USD", "demo", new Uri(App.BaseUrl)));
            Assert.IsType<CompletionResult.Completed>(await payments.CompleteAsync(started.Payment.Id, PaymentOutcome.Succeeded));
        }
    }
}
