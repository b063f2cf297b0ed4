using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.Stripe;

public sealed class StripeAppWithTestClock : StripeApp
{
    public StripeAppWithTestClock()
        : base(new Dictionary<string, string> { ["Payments:ExpireAfter"] = "01:00:00" })
    {
    }

    public TestClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public Task<int> ExpireNowAsync() => Services.GetRequiredService<PaymentExpiry>().ExpireStaleAsync();
}

/// <summary>Stale open payments expire on a schedule; a Stripe session is expired at Stripe first, and a paid one is left to its webhook.</summary>
public sealed class WhenStalePaymentsExpire(StripeAppWithTestClock app) : IClassFixture<StripeAppWithTestClock>
{
    [Fact]
    public async Task Open_payments_older_than_the_limit_expire_and_their_stripe_session_is_expired_first()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (stripePayment, _) = await client.StartStripeTopUpAsync();
        var demoPayment = await client.InitiateTopUpAsync();
        await app.ExpireNowAsync();
        Assert.Equal("pending", await client.PaymentStatusAsync(stripePayment));

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await app.ExpireNowAsync();

        Assert.Equal("expired", await client.PaymentStatusAsync(stripePayment));
        Assert.Equal("expired", await client.PaymentStatusAsync(demoPayment));
        var session = app.Stripe.SessionFor(stripePayment);
        Assert.Equal("expired", session.Status);
        var expire = Assert.Single(app.Stripe.Requests, r => r.Path == $"/v1/checkout/sessions/{session.Id}/expire");
        Assert.Equal(StripeGateway.IdempotencyKey(stripePayment, "expire"), expire.Headers["Idempotency-Key"]);
        var page = await client.GetAsync($"/payments/{stripePayment}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<strong role=\"status\">Expired</strong>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/Wallet?buy=true\">Try again</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_the_shopper_already_paid_is_not_expired_but_left_to_its_webhook()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = app.Stripe.SessionFor(paymentId);
        session.Status = "complete";
        session.PaymentStatus = "paid";

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await app.ExpireNowAsync();

        Assert.Equal("pending", await client.PaymentStatusAsync(paymentId));
        Assert.Equal("complete", session.Status);
    }
}
