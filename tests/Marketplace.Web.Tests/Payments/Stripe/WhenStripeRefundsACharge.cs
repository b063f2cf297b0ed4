using System.Net;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.Stripe;

/// <summary>
/// A refund made at Stripe (charge.refunded) never takes credits back by itself: the event is parked for an admin with
/// the reason, and shown on Admin → Webhooks; "Credit anyway" has nothing to credit for it.
/// </summary>
public sealed class WhenStripeRefundsACharge(StripeApp app) : IClassFixture<StripeApp>
{
    [Fact]
    public async Task A_refund_after_the_credit_is_parked_for_an_admin_with_the_reason_and_the_credits_stay()
    {
        using var admin = await app.AdminAsync();
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, session) = await PaidAsync(client);
        var eventId = app.Stripe.NewEventId();

        using (var delivered = await app.Stripe.SendEventAsync(FakeStripe.ChargeRefundedJson(session, eventId, amountRefunded: 1000)))
        {
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }

        var row = await app.SettledInboxRowAsync(eventId);
        Assert.Equal(WebhookStatus.Parked, row!.Status);
        Assert.Equal(paymentId, row.PaymentId);
        Assert.Contains("Stripe refunded 1000 USD of 2500 USD (Stripe minor units)", row.LastError, StringComparison.Ordinal);
        Assert.Contains("after the payment was credited with 25.00 MC", row.LastError, StringComparison.Ordinal);
        Assert.Equal("succeeded", await client.PaymentStatusAsync(paymentId));
        Assert.Equal("1025.00", await client.AvailableAsync());

        using var page = await admin.GetAsync("/Admin/Webhooks");
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains(eventId, html, StringComparison.Ordinal);
        Assert.Contains("after the payment was credited with 25.00 MC", html, StringComparison.Ordinal);

        using var credit = await admin.PostJsonAsync($"/api/admin/webhooks/{row.Id}/credit", new { Reason = "trying" });
        await credit.AssertProblemAsync(HttpStatusCode.Conflict, "not_a_collection");
        Assert.Equal(1, await app.TopUpCountAsync(paymentId));
    }

    [Fact]
    public async Task A_refund_before_any_credit_is_parked_saying_nothing_was_credited()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var eventId = app.Stripe.NewEventId();

        using (await app.Stripe.SendEventAsync(FakeStripe.ChargeRefundedJson(app.Stripe.SessionFor(paymentId), eventId)))
        {
            var row = await app.SettledInboxRowAsync(eventId);
            Assert.Equal(WebhookStatus.Parked, row!.Status);
            Assert.Contains("the payment was not credited (pending)", row.LastError, StringComparison.Ordinal);
        }

        Assert.Equal(0, await app.TopUpCountAsync(paymentId));
    }

    [Fact]
    public async Task A_refund_of_a_charge_that_is_not_ours_is_acknowledged_and_left_alone()
    {
        var foreign = new FakeStripeSession { Id = "cs_test_0123456789abcdef0123456789ab", AmountTotal = 500, Currency = "usd", SuccessUrl = "x", CancelUrl = "x", Metadata = new Dictionary<string, string>(), Url = "x" };
        var eventId = app.Stripe.NewEventId();

        using (await app.Stripe.SendEventAsync(FakeStripe.ChargeRefundedJson(foreign, eventId)))
        {
            var row = await app.SettledInboxRowAsync(eventId);
            Assert.Equal(WebhookStatus.Done, row!.Status);
            Assert.Null(row.PaymentId);
        }
    }

    private async Task<(Guid PaymentId, FakeStripeSession Session)> PaidAsync(ApiClient client)
    {
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = app.Stripe.SessionFor(paymentId);
        session.Status = "complete";
        session.PaymentStatus = "paid";
        using (await app.Stripe.SendEventAsync(StripeEvents.Completed, session))
        {
            await client.PaymentStatusBecomesAsync(paymentId, "succeeded");
        }

        return (paymentId, session);
    }
}
