using System.Net;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.Stripe;

/// <summary>A stored webhook survives a restart and is applied by the next instance's start-up sweep; balances survive too.</summary>
public sealed class WhenTheAppRestartsBeforeAWebhookIsProcessed : IAsyncLifetime
{
    private static readonly Dictionary<string, string> NotProcessing = new() { ["Webhooks:ProcessingEnabled"] = "false" };

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-stripe-restart-");
    private FakeStripe _stripe = null!;

    public async Task InitializeAsync() => _stripe = await FakeStripe.StartAsync();

    [Fact]
    public async Task The_event_stored_before_the_restart_is_credited_after_it_and_the_balance_stays()
    {
        Guid userId;
        Guid paymentId;
        string eventId;
        await using (var first = await StripeApp.StartOnAsync(_dataDirectory, _stripe, NotProcessing))
        {
            using var client = await ApiClient.RegisteredAsync(first);
            (paymentId, _) = await client.StartStripeTopUpAsync();
            userId = await first.InScopeAsync(s => s.GetRequiredService<MarketplaceDb>().Payments.Where(p => p.Id == paymentId).Select(p => p.UserId).SingleAsync());
            var session = _stripe.SessionFor(paymentId);
            session.Status = "complete";
            session.PaymentStatus = "paid";
            eventId = _stripe.NewEventId();
            using var delivered = await _stripe.SendEventAsync(StripeEvents.Completed, session, eventId);

            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
            Assert.Equal(WebhookStatus.Pending, (await first.InboxRowAsync(eventId))!.Status);
            Assert.Equal("1000.00", await client.AvailableAsync());
        }

        await using (var second = await StripeApp.StartOnAsync(_dataDirectory, _stripe))
        {
            var row = await second.SettledInboxRowAsync(eventId);

            Assert.Equal(WebhookStatus.Done, row!.Status);
            Assert.Equal(1, await second.TopUpCountAsync(paymentId));
            Assert.Equal("1025.00", await AvailableAsync(second, userId));
        }

        await using var third = await StripeApp.StartOnAsync(_dataDirectory, _stripe);
        Assert.Equal("1025.00", await AvailableAsync(third, userId));
        Assert.Equal(1, await third.TopUpCountAsync(paymentId));
    }

    public async Task DisposeAsync()
    {
        await _stripe.DisposeAsync();
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }

    private static Task<string> AvailableAsync(StripeApp app, Guid userId) =>
        app.InScopeAsync(async s => (await s.GetRequiredService<WalletQueries>().BalanceAsync(userId)).Available.ToDecimalString());
}
