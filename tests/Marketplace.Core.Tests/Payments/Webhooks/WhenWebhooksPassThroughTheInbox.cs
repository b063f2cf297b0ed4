using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Payments.Webhooks;

public sealed class WhenWebhooksPassThroughTheInbox(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly WebhookOptions Options = new() { MaxAttempts = 3, RetryBaseDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task The_same_event_id_is_stored_once_even_when_delivered_concurrently()
    {
        var gateway = NewGateway();
        await using var harness = new InboxHarness(database, new ScriptedHandler(gateway), Options);

        var results = await Concurrently.RunAsync(20, _ => harness.AcceptAsync(gateway, "evt_1"));

        Assert.Single(results, r => r == AcceptResult.Accepted);
        Assert.Equal(19, results.Count(r => r == AcceptResult.Duplicate));
        Assert.Equal(1, await harness.CountAsync(gateway));
    }

    [Fact]
    public async Task A_handled_event_is_done_and_never_handed_over_again()
    {
        var gateway = NewGateway();
        var handler = new ScriptedHandler(gateway);
        await using var harness = new InboxHarness(database, handler, Options);
        await harness.AcceptAsync(gateway, "evt_done");

        await harness.Processor.ProcessDueAsync();
        await harness.Processor.ProcessDueAsync();

        var row = await harness.RowAsync(gateway, "evt_done");
        Assert.Equal(WebhookStatus.Done, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.ProcessedAt);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task A_failing_event_backs_off_exponentially_then_becomes_a_dead_letter_an_admin_can_retry()
    {
        var gateway = NewGateway();
        var handler = new ScriptedHandler(gateway) { Verdict = _ => throw new InvalidOperationException("gateway down") };
        await using var harness = new InboxHarness(database, handler, Options);
        await harness.AcceptAsync(gateway, "evt_fails");

        await harness.Processor.ProcessDueAsync();
        var first = await harness.RowAsync(gateway, "evt_fails");
        await harness.Processor.ProcessDueAsync();
        Assert.Equal(1, handler.Calls);
        database.Clock.Advance(TimeSpan.FromSeconds(10));
        await harness.Processor.ProcessDueAsync();
        var second = await harness.RowAsync(gateway, "evt_fails");
        database.Clock.Advance(TimeSpan.FromSeconds(20));
        await harness.Processor.ProcessDueAsync();
        var third = await harness.RowAsync(gateway, "evt_fails");

        Assert.Equal(WebhookStatus.Pending, first.Status);
        Assert.Equal(first.UpdatedAt + TimeSpan.FromSeconds(10), first.NextAttemptAt);
        Assert.Contains("gateway down", first.LastError, StringComparison.Ordinal);
        Assert.Equal(second.UpdatedAt + TimeSpan.FromSeconds(20), second.NextAttemptAt);
        Assert.Equal(WebhookStatus.DeadLetter, third.Status);
        Assert.Equal(3, third.Attempts);
        Assert.Equal(3, handler.Calls);

        handler.Verdict = _ => new WebhookHandling.Done();
        Assert.Equal(RetryResult.Requeued, await harness.RetryAsync(third.Id));
        Assert.Equal(RetryResult.NotWaiting, await harness.RetryAsync(third.Id));
        await harness.Processor.ProcessDueAsync();

        Assert.Equal(WebhookStatus.Done, (await harness.RowAsync(gateway, "evt_fails")).Status);
        await using var db = database.NewContext();
        var audit = await db.AuditEntries.SingleAsync(e => e.Subject == $"webhook:{third.Id}");
        Assert.Equal("webhook.retry", audit.Action);
        Assert.Contains("\"previous_status\":\"dead_letter\"", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parked_event_waits_for_an_admin_with_its_reason()
    {
        var gateway = NewGateway();
        var handler = new ScriptedHandler(gateway) { Verdict = _ => new WebhookHandling.Park("Amount differs") };
        await using var harness = new InboxHarness(database, handler, Options);
        await harness.AcceptAsync(gateway, "evt_park");

        await harness.Processor.ProcessDueAsync();
        database.Clock.Advance(TimeSpan.FromHours(1));
        await harness.Processor.ProcessDueAsync();

        var row = await harness.RowAsync(gateway, "evt_park");
        Assert.Equal(WebhookStatus.Parked, row.Status);
        Assert.Equal("Amount differs", row.LastError);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task A_claim_left_behind_by_a_dead_run_is_taken_over_after_its_lease()
    {
        var gateway = NewGateway();
        var handler = new ScriptedHandler(gateway);
        await using var harness = new InboxHarness(database, handler, Options);
        await harness.AcceptAsync(gateway, "evt_stuck");
        var id = (await harness.RowAsync(gateway, "evt_stuck")).Id;
        await using (var db = database.NewContext())
        {
            var leaseEnd = database.Clock.UtcNow + Options.ProcessingLease;
            await db.WebhookInbox.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, WebhookStatus.Processing).SetProperty(i => i.Attempts, 1).SetProperty(i => i.NextAttemptAt, leaseEnd));
        }

        await harness.Processor.ProcessDueAsync();
        Assert.Equal(0, handler.Calls);
        database.Clock.Advance(Options.ProcessingLease);
        await harness.Processor.ProcessDueAsync();

        var row = await harness.RowAsync(gateway, "evt_stuck");
        Assert.Equal(WebhookStatus.Done, row.Status);
        Assert.Equal(2, row.Attempts);
    }

    [Fact]
    public async Task An_event_without_a_handler_is_retried_not_lost()
    {
        var gateway = NewGateway();
        await using var harness = new InboxHarness(database, new ScriptedHandler("someone-else"), Options);
        await harness.AcceptAsync(gateway, "evt_orphan");

        await harness.Processor.ProcessDueAsync();

        var row = await harness.RowAsync(gateway, "evt_orphan");
        Assert.Equal(WebhookStatus.Pending, row.Status);
        Assert.Contains("No handler", row.LastError, StringComparison.Ordinal);
    }

    // Each test uses its own gateway name so rows of other tests in the shared database never reach its handler.
    private static string NewGateway() => "t" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public void Backoff_doubles_from_the_base_and_stops_at_the_cap()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), Options.BackoffAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(40), Options.BackoffAfter(3));
        Assert.Equal(TimeSpan.FromMinutes(1), Options.BackoffAfter(4));
        Assert.Equal(TimeSpan.FromMinutes(1), Options.BackoffAfter(80));
    }
}
