using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments.Demo;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Wallet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments;

public sealed class WhenPayingOnTheDemoCheckout(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private const string PayingCard = "4242 4242 4242 4242";

    [Fact]
    public async Task The_checkout_shows_the_amount_and_the_credits_it_buys()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");

        var html = await shopper.GetHtmlAsync($"/payments/demo/{paymentId}");

        Assert.Contains("25.00 USD", html, StringComparison.Ordinal);
        Assert.Contains("25.00 MC", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"card_number\">Card number</label>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paying_twice_credits_the_wallet_once()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");
        var checkout = $"/payments/demo/{paymentId}";

        // The second post reuses the token the open checkout page rendered, as a double-click would.
        using var first = await shopper.PostFormAsync(checkout, checkout, [new("card_number", PayingCard)]);
        using var second = await shopper.PostFormAsync($"/payments/{paymentId}", checkout, [new("card_number", PayingCard)]);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal($"/payments/{paymentId}", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal("succeeded", await shopper.FinalPaymentStatusAsync(paymentId));
        Assert.Equal("1025.00", await shopper.AvailableBalanceAsync());
        var history = await shopper.Client.GetFromJsonAsync<JsonElement>(new Uri("/api/wallet/transactions", UriKind.Relative));
        Assert.Equal(1, history.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("kind").GetString() == "top_up"));
    }

    [Fact]
    public async Task A_paid_card_goes_through_the_webhook_inbox_as_one_signed_demo_event()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");
        var checkout = $"/payments/demo/{paymentId}";

        using var paid = await shopper.PostFormAsync(checkout, checkout, [new("card_number", PayingCard)]);
        Assert.Equal("succeeded", await shopper.FinalPaymentStatusAsync(paymentId));

        using var scope = app.Services.CreateScope();
        var eventId = DemoGateway.EventId(paymentId);
        var row = await Eventually.PollAsync(
            () => scope.ServiceProvider.GetRequiredService<MarketplaceDb>().WebhookInbox.AsNoTracking().SingleAsync(i => i.Gateway == "demo" && i.EventId == eventId),
            r => r.Status == WebhookStatus.Done,
            "the demo event to be done");
        Assert.Equal(DemoGateway.Succeeded, row.EventType);
        Assert.Equal(paymentId, row.PaymentId);
    }

    [Fact]
    public async Task A_declined_card_fails_the_payment_with_the_reason()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");
        var checkout = $"/payments/demo/{paymentId}";

        using var response = await shopper.PostFormAsync(checkout, checkout, [new("card_number", "4000 0000 0000 0002")]);
        Assert.Equal("failed", await shopper.FinalPaymentStatusAsync(paymentId));
        var status = await shopper.GetHtmlAsync($"/payments/{paymentId}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("<strong role=\"status\">Failed</strong>", status, StringComparison.Ordinal);
        Assert.Contains("Card declined (test card 4000 0000 0000 0002).", status, StringComparison.Ordinal);
        Assert.Contains(" href=\"/Wallet?buy=true\">Try again</a>", status, StringComparison.Ordinal);
        Assert.Equal("1000.00", await shopper.AvailableBalanceAsync());
    }

    [Theory]
    [InlineData("4000 0000 0000 0002", "Failed", "Card declined (test card 4000 0000 0000 0002).")]
    [InlineData(PayingCard, "Succeeded", "25.00 MC added to your wallet for 25.00 USD.")]
    public async Task The_first_page_after_paying_shows_the_outcome_not_pending(string card, string status, string outcome)
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");
        var checkout = $"/payments/demo/{paymentId}";

        // No waiting for the inbox: the page the redirect names is read at once, as the browser does.
        using var response = await shopper.PostFormAsync(checkout, checkout, [new("card_number", card)]);
        var page = await shopper.GetHtmlAsync(response.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains($"<strong role=\"status\">{status}</strong>", page, StringComparison.Ordinal);
        Assert.Contains(outcome, page, StringComparison.Ordinal);
        Assert.DoesNotContain("Pending", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_card_asks_for_a_test_card_and_leaves_the_payment_open()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");
        var checkout = $"/payments/demo/{paymentId}";

        using var response = await shopper.PostFormAsync(checkout, checkout, [new("card_number", "1234 5678 9012 3456")]);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("<p role=\"alert\">Use test card 4242 4242 4242 4242 to pay or 4000 0000 0000 0002 to be declined.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<strong role=\"status\">Pending</strong>", await shopper.GetHtmlAsync($"/payments/{paymentId}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paid_checkout_sends_its_visitor_to_the_return_page()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");
        using var paid = await shopper.PostFormAsync($"/payments/demo/{paymentId}", $"/payments/demo/{paymentId}", [new("card_number", PayingCard)]);

        using var response = await shopper.GetAsync($"/payments/demo/{paymentId}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/payments/{paymentId}", response.Headers.Location?.OriginalString);
    }
}
