using System.Net;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.Stripe;

/// <summary>
/// A process killed right after its inbox job claimed a row leaves the row "processing" under a five-minute lease.
/// The same instance, started again, takes back its own dead claims at once and credits within seconds; a claim of
/// another instance (which may still be alive) is left to its lease.
/// </summary>
public sealed class WhenTheAppRestartsAfterClaimingAWebhook : IAsyncLifetime
{
    private const string Instance = "shop-1";

    private static readonly Dictionary<string, string> NotProcessing = new() { ["Webhooks:ProcessingEnabled"] = "false", ["Webhooks:InstanceId"] = Instance };

    private static readonly Dictionary<string, string> Processing = new() { ["Webhooks:InstanceId"] = Instance };

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-claim-restart-");
    private FakeStripe _stripe = null!;

    public async Task InitializeAsync() => _stripe = await FakeStripe.StartAsync();

    [Fact]
    public async Task Its_own_dead_claim_is_taken_back_at_start_and_another_instances_claim_is_not()
    {
        Guid paymentId;
        Guid otherPaymentId;
        string eventId;
        string otherEventId;
        await using (var crashed = await StripeApp.StartOnAsync(_dataDirectory, _stripe, NotProcessing))
        {
            using var client = await ApiClient.RegisteredAsync(crashed);
            (paymentId, eventId) = await PaidEventAsync(client);
            (otherPaymentId, otherEventId) = await PaidEventAsync(client);
            // What the dying process left: both rows claimed for five minutes, one by an earlier start of this
            // instance, one by another instance.
            await ClaimAsync(crashed, eventId, Instance);
            await ClaimAsync(crashed, otherEventId, "shop-2");
        }

        await using var restarted = await StripeApp.StartOnAsync(_dataDirectory, _stripe, Processing);

        var row = await restarted.SettledInboxRowAsync(eventId);
        Assert.Equal(WebhookStatus.Done, row!.Status);
        Assert.Equal(1, await restarted.TopUpCountAsync(paymentId));
        var other = await restarted.InboxRowAsync(otherEventId);
        Assert.Equal(WebhookStatus.Processing, other!.Status);
        Assert.Equal("shop-2", other.ClaimedBy);
        Assert.Equal(0, await restarted.TopUpCountAsync(otherPaymentId));
    }

    public async Task DisposeAsync()
    {
        await _stripe.DisposeAsync();
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }

    private async Task<(Guid PaymentId, string EventId)> PaidEventAsync(ApiClient client)
    {
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = _stripe.SessionFor(paymentId);
        session.Status = "complete";
        session.PaymentStatus = "paid";
        var eventId = _stripe.NewEventId();
        using var delivered = await _stripe.SendEventAsync(StripeEvents.Completed, session, eventId);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        return (paymentId, eventId);
    }

    private static async Task ClaimAsync(StripeApp app, string eventId, string instance)
    {
        var leaseEnds = DateTime.UtcNow.AddMinutes(5);
        var boot = Guid.NewGuid();
        var claimed = await app.InScopeAsync(s => s.GetRequiredService<MarketplaceDb>().WebhookInbox
            .Where(i => i.EventId == eventId)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, WebhookStatus.Processing)
                .SetProperty(i => i.Attempts, 1)
                .SetProperty(i => i.NextAttemptAt, leaseEnds)
                .SetProperty(i => i.ClaimedBy, instance)
                .SetProperty(i => i.ClaimBoot, boot)));
        Assert.Equal(1, claimed);
    }
}
