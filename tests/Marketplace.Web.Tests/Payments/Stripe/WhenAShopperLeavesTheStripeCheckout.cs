using System.Net;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.Stripe;

/// <summary>
/// Stripe's cancel URL brings the shopper back to /payments/{id}/cancelled: the session is expired at Stripe first, so it
/// can no longer be paid, and then the payment is cancelled; only an open payment of the shopper's own, and only once.
/// </summary>
public sealed class WhenAShopperLeavesTheStripeCheckout(StripeApp app) : IClassFixture<StripeApp>
{
    [Fact]
    public async Task The_session_is_expired_at_stripe_and_the_payment_shows_cancelled()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = app.Stripe.SessionFor(paymentId);

        using var back = await client.GetAsync(new Uri(session.CancelUrl).PathAndQuery);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal($"/payments/{paymentId}", back.Headers.Location!.OriginalString);
        Assert.Equal("cancelled", await client.PaymentStatusAsync(paymentId));
        Assert.Equal("expired", session.Status);
        var expire = Assert.Single(app.Stripe.Requests, r => r.Path == $"/v1/checkout/sessions/{session.Id}/expire");
        Assert.Equal(StripeGateway.IdempotencyKey(paymentId, "expire"), expire.Headers["Idempotency-Key"]);
        using var page = await client.GetAsync($"/payments/{paymentId}");
        Assert.Contains("<strong role=\"status\">Cancelled</strong>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task Coming_back_twice_changes_nothing_the_second_time()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var cancelPath = $"/payments/{paymentId}/cancelled";
        using (await client.GetAsync(cancelPath))
        {
            Assert.Equal("cancelled", await client.PaymentStatusAsync(paymentId));
        }

        var requests = app.Stripe.Requests.Count(r => r.Path.EndsWith("/expire", StringComparison.Ordinal));
        using var again = await client.GetAsync(cancelPath);

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("cancelled", await client.PaymentStatusAsync(paymentId));
        Assert.Equal(requests, app.Stripe.Requests.Count(r => r.Path.EndsWith("/expire", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_session_paid_meanwhile_stays_open_and_its_webhook_credits_it()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = app.Stripe.SessionFor(paymentId);
        session.Status = "complete";
        session.PaymentStatus = "paid";

        using (await client.GetAsync($"/payments/{paymentId}/cancelled"))
        {
            Assert.Equal("pending", await client.PaymentStatusAsync(paymentId));
        }

        using (await app.Stripe.SendEventAsync(StripeEvents.Completed, session))
        {
            await client.PaymentStatusBecomesAsync(paymentId, "succeeded");
        }

        Assert.Equal("1025.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task A_succeeded_payment_is_not_cancelled()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = app.Stripe.SessionFor(paymentId);
        session.Status = "complete";
        session.PaymentStatus = "paid";
        using (await app.Stripe.SendEventAsync(StripeEvents.Completed, session))
        {
            await client.PaymentStatusBecomesAsync(paymentId, "succeeded");
        }

        using var back = await client.GetAsync($"/payments/{paymentId}/cancelled");

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("succeeded", await client.PaymentStatusAsync(paymentId));
        Assert.Equal("1025.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task Someone_elses_payment_is_not_found_and_stays_open()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        using var stranger = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await owner.StartStripeTopUpAsync();

        using var back = await stranger.GetAsync($"/payments/{paymentId}/cancelled");

        Assert.Equal(HttpStatusCode.NotFound, back.StatusCode);
        Assert.Equal("pending", await owner.PaymentStatusAsync(paymentId));
        Assert.Equal("open", app.Stripe.SessionFor(paymentId).Status);
    }

    [Fact]
    public async Task Money_reported_for_a_cancelled_payment_is_parked_for_an_admin_not_credited()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = app.Stripe.SessionFor(paymentId);
        using (await client.GetAsync($"/payments/{paymentId}/cancelled"))
        {
            Assert.Equal("cancelled", await client.PaymentStatusAsync(paymentId));
        }

        session.Status = "complete";
        session.PaymentStatus = "paid";
        var eventId = app.Stripe.NewEventId();
        using (await app.Stripe.SendEventAsync(FakeStripe.EventJson(StripeEvents.Completed, session, eventId)))
        {
            var row = await app.SettledInboxRowAsync(eventId);
            Assert.Equal(WebhookStatus.Parked, row!.Status);
            Assert.Contains("cancelled", row.LastError, StringComparison.Ordinal);
        }

        Assert.Equal("cancelled", await client.PaymentStatusAsync(paymentId));
        Assert.Equal(0, await app.TopUpCountAsync(paymentId));
    }
}
