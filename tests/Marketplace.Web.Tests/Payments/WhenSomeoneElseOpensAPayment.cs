using System.Net;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Payments;

public sealed class WhenSomeoneElseOpensAPayment(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_demo_checkout_and_the_return_page_are_not_found()
    {
        using var owner = await WebShopper.RegisterAsync(app);
        using var other = await WebShopper.RegisterAsync(app);
        var paymentId = await owner.StartDemoTopUpAsync("25.00");

        using var checkout = await other.GetAsync($"/payments/demo/{paymentId}");
        using var returnPage = await other.GetAsync($"/payments/{paymentId}");
        using var status = await other.GetAsync($"/payments/{paymentId}?handler=Status", htmx: true);

        Assert.Equal(HttpStatusCode.NotFound, checkout.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, returnPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task Paying_it_is_not_found_and_credits_nobody()
    {
        using var owner = await WebShopper.RegisterAsync(app);
        using var other = await WebShopper.RegisterAsync(app);
        var paymentId = await owner.StartDemoTopUpAsync("25.00");

        using var response = await other.PostFormAsync("/Wallet", $"/payments/demo/{paymentId}", [new("card_number", "4242 4242 4242 4242")]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("1000.00", await owner.AvailableBalanceAsync());
        Assert.Equal("1000.00", await other.AvailableBalanceAsync());
        Assert.Contains("<strong role=\"status\">Pending</strong>", await owner.GetHtmlAsync($"/payments/{paymentId}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_payment_id_is_not_found()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.GetAsync($"/payments/demo/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
