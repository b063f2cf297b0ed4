using System.Net;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.Stripe;

public sealed class WhenStripeFailsToStartACheckout(StripeApp app) : IClassFixture<StripeApp>
{
    [Fact]
    public async Task Outages_and_rate_limits_are_retried_under_the_same_idempotency_key()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        app.Stripe.FailNext(503);
        // Stripe.net retries a 429 only when Stripe says it should (Stripe-Should-Retry, as on a lock timeout).
        app.Stripe.FailNext(429, code: "lock_timeout", shouldRetry: true);

        var (paymentId, _) = await client.StartStripeTopUpAsync();

        var attempts = app.Stripe.Requests.Where(r => r.Path == "/v1/checkout/sessions" && r.Form.GetValueOrDefault("metadata[payment_id]") == paymentId.ToString("N")).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(StripeGateway.IdempotencyKey(paymentId, "checkout"), a.Headers["Idempotency-Key"]));
        Assert.Single(app.Stripe.Sessions, s => s.PaymentId == paymentId.ToString("N"));
    }

    [Fact]
    public async Task Stripe_still_down_after_the_retries_answers_503_and_fails_the_payment()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        app.Stripe.FailNext(500, count: 3);

        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = "25.00", Currency = "USD", Gateway = "stripe" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "gateway_unavailable");
        var paymentId = problem.GetProperty("payment_id").GetGuid();
        Assert.Equal("failed", await client.PaymentStatusAsync(paymentId));
    }

    [Fact]
    public async Task A_rate_limit_stripe_does_not_ask_to_retry_answers_503_and_fails_the_payment()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var before = app.Stripe.Requests.Count;
        app.Stripe.FailNext(429, code: "rate_limit");

        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = "25.00", Currency = "USD", Gateway = "stripe" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "gateway_busy");
        Assert.Equal("failed", await client.PaymentStatusAsync(problem.GetProperty("payment_id").GetGuid()));
        Assert.Equal(before + 1, app.Stripe.Requests.Count);
    }

    [Fact]
    public async Task A_refused_request_is_not_retried_and_answers_502()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var before = app.Stripe.Requests.Count;
        app.Stripe.FailNext(400, code: "parameter_invalid_integer");

        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = "25.00", Currency = "USD", Gateway = "stripe" });

        await response.AssertProblemAsync(HttpStatusCode.BadGateway, "gateway_rejected");
        Assert.Equal(before + 1, app.Stripe.Requests.Count);
    }

    [Fact]
    public async Task The_wallet_offers_card_payments_by_stripe()
    {
        using var shopper = await Wallet.WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync("/Wallet");

        Assert.Contains("value=\"stripe\"", html, StringComparison.Ordinal);
        Assert.Contains("Card (Stripe)", html, StringComparison.Ordinal);
    }
}
