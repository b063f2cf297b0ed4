using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Payments.Stripe;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>The Stripe app without a sweep: once the run at start is over, only a drain enqueued by a webhook applies it.</summary>
public sealed class StripeAppWithoutSweep() : StripeApp(new Dictionary<string, string> { ["Webhooks:SweepCron"] = JobTesting.Never });

public sealed class WhenAWebhookArrives(StripeAppWithoutSweep app) : IClassFixture<StripeAppWithoutSweep>
{
    [Fact]
    public async Task A_hangfire_drain_enqueued_for_it_applies_it_and_credits_the_payment()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync("25.00");
        var before = await JobTesting.SucceededDrainsAsync(app.Services, 1);
        var session = app.Stripe.SessionFor(paymentId);
        session.Status = "complete";
        session.PaymentStatus = "paid";
        var eventId = app.Stripe.NewEventId();

        using var delivered = await app.Stripe.SendEventAsync(StripeEvents.Completed, session, eventId);

        Assert.Equal(System.Net.HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal(WebhookStatus.Done, (await app.SettledInboxRowAsync(eventId))!.Status);
        Assert.Equal(1, await app.TopUpCountAsync(paymentId));
        Assert.Equal("1025.00", await client.AvailableAsync());
        var after = await JobTesting.SucceededDrainsAsync(app.Services, before.Count + 1);
        Assert.Single(after.Except(before));
    }
}
