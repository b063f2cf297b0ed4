using System.Net;
using Htmx;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Payments;

public sealed class WhenWatchingAPaymentsStatus(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task An_open_payment_polls_every_two_seconds_with_its_status_partial()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");

        var page = await shopper.GetHtmlAsync($"/payments/{paymentId}");
        using var response = await shopper.GetAsync($"/payments/{paymentId}?handler=Status", htmx: true);
        var partial = await response.Content.ReadAsStringAsync();

        Assert.Contains("<strong role=\"status\">Pending</strong>", page, StringComparison.Ordinal);
        // Htmx.TagHelpers writes the hx-get it builds after the other attributes.
        Assert.Contains($"hx-trigger=\"every 2s\" hx-swap=\"outerHTML\" hx-get=\"/payments/{paymentId}?handler=Status\"", page, StringComparison.Ordinal);
        Assert.Contains(HtmxRequestHeaders.Keys.Request, response.Headers.Vary);
        Assert.StartsWith("<div id=\"payment-status\"", partial.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", partial, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_succeeded_payment_stops_polling_and_shows_the_new_balance()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");
        using var paid = await shopper.PostFormAsync($"/payments/demo/{paymentId}", $"/payments/demo/{paymentId}", [new("card_number", "4242 4242 4242 4242")]);
        await shopper.FinalPaymentStatusAsync(paymentId);

        var partial = await shopper.GetHtmlAsync($"/payments/{paymentId}?handler=Status", htmx: true);

        Assert.Contains("<strong role=\"status\">Succeeded</strong>", partial, StringComparison.Ordinal);
        Assert.DoesNotContain("hx-trigger", partial, StringComparison.Ordinal);
        Assert.Contains("25.00 MC added", partial, StringComparison.Ordinal);
        Assert.Contains("1,025.00 MC", partial, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_may_see_anyones_payment()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        using var admin = await WebShopper.RegisterAdminAsync(app, "admin@example.test");
        var paymentId = await shopper.StartDemoTopUpAsync("25.00");

        using var response = await admin.GetAsync($"/payments/{paymentId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
