using System.Net;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Payments.Stripe;

namespace Marketplace.Web.Tests.Payments.Packages;

/// <summary>A package through Stripe: the Checkout Session's line item names it, and its events grant the bonus once.</summary>
public sealed class WhenBuyingAPackageWithStripe(StripeApp app) : IClassFixture<StripeApp>
{
    [Fact]
    public async Task The_checkout_session_line_item_names_the_package_at_its_price()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        var paymentId = await client.InitiatePackageAsync("popular", gateway: "stripe");

        var session = app.Stripe.SessionFor(paymentId);
        var create = app.Stripe.Requests.Single(r => r.Path == "/v1/checkout/sessions" && r.Form.GetValueOrDefault("metadata[payment_id]") == paymentId.ToString("N"));
        Assert.Equal("Popular package: 500.00 MC + 50.00 MC bonus", create.Form["line_items[0][price_data][product_data][name]"]);
        Assert.Equal("4499", create.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("usd", create.Form["line_items[0][price_data][currency]"]);
        Assert.Equal("Popular package: 500.00 MC + 50.00 MC bonus", session.ProductName);
        Assert.Equal(4499, session.AmountTotal);
    }

    [Fact]
    public async Task The_completed_event_twice_and_the_async_success_grant_the_credits_and_the_bonus_once()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await client.InitiatePackageAsync("popular", gateway: "stripe");
        var session = Paid(app.Stripe.SessionFor(paymentId));
        var payload = FakeStripe.EventJson(StripeEvents.Completed, session, app.Stripe.NewEventId());
        var late = app.Stripe.NewEventId();

        using (await app.Stripe.SendEventAsync(payload))
        using (await app.Stripe.SendEventAsync(payload))
        using (await app.Stripe.SendEventAsync(StripeEvents.AsyncSucceeded, session, late))
        {
            await client.PaymentStatusBecomesAsync(paymentId, "succeeded");
            Assert.Equal(WebhookStatus.Done, (await app.SettledInboxRowAsync(late))!.Status);
        }

        Assert.Equal((1, 1), await app.GrantsAsync(paymentId));
        Assert.Equal("1550.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task A_session_paid_for_another_amount_is_parked_and_grants_nothing()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await client.InitiatePackageAsync("popular", gateway: "stripe");
        var eventId = app.Stripe.NewEventId();

        using (await app.Stripe.SendEventAsync(FakeStripe.EventJson(StripeEvents.Completed, Paid(app.Stripe.SessionFor(paymentId)), eventId, amountTotal: 999)))
        {
            var row = await app.SettledInboxRowAsync(eventId);
            Assert.Equal(WebhookStatus.Parked, row!.Status);
            Assert.Contains("but the payment is 44.99 USD; not credited", row.LastError, StringComparison.Ordinal);
        }

        Assert.Equal((0, 0), await app.GrantsAsync(paymentId));
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task A_refund_is_parked_saying_what_was_credited_with_the_bonus_and_why_neither_was_taken_back()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await client.InitiatePackageAsync("popular", gateway: "stripe");
        var session = Paid(app.Stripe.SessionFor(paymentId));
        using (await app.Stripe.SendEventAsync(StripeEvents.Completed, session))
        {
            await client.PaymentStatusBecomesAsync(paymentId, "succeeded");
        }

        var eventId = app.Stripe.NewEventId();
        using (var delivered = await app.Stripe.SendEventAsync(FakeStripe.ChargeRefundedJson(session, eventId)))
        {
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }

        var row = await app.SettledInboxRowAsync(eventId);
        Assert.Equal(WebhookStatus.Parked, row!.Status);
        Assert.Contains("after the payment was credited with 500.00 MC and a bonus of 50.00 MC (Bonus 10 % on Popular); neither was taken back", row.LastError, StringComparison.Ordinal);
        Assert.Contains("a wallet never goes below zero", row.LastError, StringComparison.Ordinal);
        Assert.Contains("Adjust balance by up to 550.00 MC", row.LastError, StringComparison.Ordinal);
        Assert.Equal("1550.00", await client.AvailableAsync());
        Assert.Equal((1, 1), await app.GrantsAsync(paymentId));
    }

    private static FakeStripeSession Paid(FakeStripeSession session)
    {
        session.Status = "complete";
        session.PaymentStatus = "paid";
        return session;
    }
}
