using Marketplace.Core.Admin;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.ClickPesa;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Tests.Payments;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

/// <summary>
/// Reconciliation finds money a gateway reported collected that never became credits: a processed event saying so,
/// on a payment that is not succeeded. An unpaid Stripe completion (a delayed method) is not such a report.
/// </summary>
public sealed class WhenCollectedMoneyIsNotCredited : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_processed_payment_received_event_on_a_failed_payment_is_a_discrepancy()
    {
        var user = await _database.CreateUserAsync();
        var payment = await _database.StartTopUpAsync(user);
        await _database.CompleteAsync(payment.Id, PaymentOutcome.Failed);
        await DoneEventAsync(ClickPesaNotification.PaymentReceived, "{\"event\":\"PAYMENT RECEIVED\",\"data\":{\"orderReference\":\"MC1\"}}", payment.Id);

        var run = await _database.ReconcileAsync();

        var found = Assert.Single(run.Discrepancies, d => d.Check == ReconciliationChecks.CollectedNotCredited);
        Assert.Equal(payment.Id, found.PaymentId);
        Assert.Equal("failed", found.Found);
    }

    [Fact]
    public async Task An_unpaid_stripe_completion_and_a_credited_payment_are_not()
    {
        var user = await _database.CreateUserAsync();
        var unpaid = await _database.StartTopUpAsync(user);
        await DoneEventAsync(StripeEvents.Completed, $"{{\"id\":\"evt_1\",\"type\":\"checkout.session.completed\",\"data\":{{\"object\":{{\"payment_status\":\"unpaid\",\"metadata\":{{\"payment_id\":\"{unpaid.Id:N}\"}}}}}}}}", unpaid.Id);
        var credited = await _database.StartTopUpAsync(user);
        await _database.CompleteAsync(credited.Id, PaymentOutcome.Succeeded);
        await DoneEventAsync(ClickPesaNotification.PaymentReceived, "{\"event\":\"PAYMENT RECEIVED\",\"data\":{\"orderReference\":\"MC2\"}}", credited.Id);

        var run = await _database.ReconcileAsync();

        Assert.DoesNotContain(run.Discrepancies, d => d.Check == ReconciliationChecks.CollectedNotCredited);
        Assert.Equal(ReconciliationStatus.Clean, run.Status);
    }

    private async Task DoneEventAsync(string type, string payload, Guid paymentId)
    {
        await using var db = _database.NewContext();
        var eventId = Guid.NewGuid().ToString("N");
        Assert.Equal(AcceptResult.Accepted, await new WebhookInbox(db, new AuditLog(db, _database.Clock), _database.Clock).AcceptAsync("test", eventId, type, payload));
        Assert.Equal(1, await db.WebhookInbox.Where(i => i.EventId == eventId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, WebhookStatus.Done).SetProperty(i => i.PaymentId, paymentId)));
    }
}
