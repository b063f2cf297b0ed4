using System.Net;
using Marketplace.Core.Payments;
using Marketplace.Web.Tests.Wallet;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Checkout;

/// <summary>Issue 14, defect 3: a checkout the balance does not cover offers to buy exactly the shortfall, and the top-up returns to it.</summary>
public sealed class WhenACheckoutFallsShort(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private const string VoiceOver = "9d0d0c7a-0000-4000-8000-000000000008";
    private static readonly string Checkout = $"/checkout/{VoiceOver}?quantity=13";

    [Fact]
    public async Task Confirm_is_disabled_and_the_shortfall_is_offered_as_a_preset_top_up_back_to_this_checkout()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync(Checkout);

        Assert.Contains("You need <strong>40.00 MC</strong> more.", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"amount\" value=\"40.00\" />", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"currency\" value=\"USD\" />", html, StringComparison.Ordinal);
        Assert.Contains($"<input type=\"hidden\" name=\"return_to\" value=\"/checkout/{VoiceOver}?quantity=13\" />", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">Buy 40.00 MC</button>", html, StringComparison.Ordinal);
        // No data-requires-js: the script that enables Confirm leaves this one disabled.
        Assert.Contains("<button type=\"submit\" disabled aria-describedby=\"shortfall\">Confirm purchase</button>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_covered_checkout_offers_no_top_up_and_confirm_waits_only_for_script()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync($"/checkout/{VoiceOver}?quantity=1");

        Assert.DoesNotContain("more.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\" disabled data-requires-js>Confirm purchase</button>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wallet_opens_buy_credits_preset_with_the_amount_and_carries_the_checkout_along()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync($"/Wallet?buy=true&amount=40.00&currency=USD&return_to={Uri.EscapeDataString(Checkout)}");

        Assert.Matches("<dialog id=\"buy-credits\"[^>]* open=\"open\"", html);
        Assert.Matches("<input id=\"amount\"[^>]* value=\"40.00\"", html);
        Assert.Contains($"<input type=\"hidden\" name=\"return_to\" value=\"/checkout/{VoiceOver}?quantity=13\" />", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/checkout/9d0d0c7a-0000-4000-8000-000000000008?quantity=1")]
    [InlineData("//evil.example/")]
    [InlineData("/checkout/9d0d0c7a-0000-4000-8000-000000000008?quantity=100")]
    [InlineData("/Account/Logout")]
    public async Task Anything_but_a_checkout_path_is_not_carried(string returnTo)
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync($"/Wallet?buy=true&amount=40.00&return_to={Uri.EscapeDataString(returnTo)}");

        Assert.DoesNotContain("name=\"return_to\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_the_top_up_succeeds_its_return_page_sends_the_shopper_back_to_the_same_checkout_once()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await StartTopUpAsync(shopper, Checkout);
        await CompleteAsync(paymentId);

        using var first = await shopper.GetAsync($"/payments/{paymentId}");
        using var second = await shopper.GetAsync($"/payments/{paymentId}");

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(Checkout, first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task While_the_return_page_polls_the_arrival_of_the_credits_redirects_it_to_the_checkout()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await StartTopUpAsync(shopper, Checkout);
        await CompleteAsync(paymentId);

        using var status = await shopper.GetAsync($"/payments/{paymentId}?handler=Status", htmx: true);

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(Checkout, Assert.Single(status.Headers.GetValues("HX-Redirect")));
    }

    [Fact]
    public async Task A_forged_return_path_is_not_followed_after_paying()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await StartTopUpAsync(shopper, "https://evil.example/");
        await CompleteAsync(paymentId);

        using var page = await shopper.GetAsync($"/payments/{paymentId}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    private static async Task<Guid> StartTopUpAsync(WebShopper shopper, string returnTo)
    {
        using var response = await shopper.PostFormAsync("/Wallet", "/Wallet?handler=BuyCredits",
            [new("amount", "40.00"), new("currency", "USD"), new("gateway", "demo"), new("return_to", returnTo)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Guid.Parse(response.Headers.Location!.Segments[^1]);
    }

    private async Task CompleteAsync(Guid paymentId)
    {
        using var scope = app.Services.CreateScope();
        var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
        Assert.IsType<CompletionResult.Completed>(await payments.CompleteAsync(paymentId, PaymentOutcome.Succeeded));
    }
}
