using Hangfire;
using Hangfire.States;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Web.Jobs;
using Microsoft.Data.Sqlite;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>
/// The trigger against a real hangfire.db with no server taking jobs, so what waits in the queue is exactly what the
/// trigger enqueued: Hangfire on SQLite does about 20 jobs a second here, so a burst must not be one job per webhook.
/// </summary>
public sealed class WhenWebhooksArriveInABurst : IDisposable
{
    private const int Burst = 50;

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-burst-");
    private readonly JobStorage _storage;
    private readonly BackgroundJobClient _jobs;
    private readonly WebhookInboxTrigger _trigger;

    public WhenWebhooksArriveInABurst()
    {
        _storage = JobsExtensions.StorageFor(new DatabaseSettings(Marketplace.Tests.Support.TestProvider.Kind, MarketplaceApp.ConnectionString(_dataDirectory), _dataDirectory.FullName));
        _jobs = new BackgroundJobClient(_storage);
        _trigger = new WebhookInboxTrigger(_jobs, _storage, new WebhookOptions());
    }

    [Fact]
    public async Task One_drain_waits_for_all_of_them()
    {
        await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => Task.Run(_trigger.RequestRun)));

        Assert.Single(EnqueuedDrains());
    }

    [Fact]
    public async Task Once_the_waiting_drain_has_run_the_next_burst_enqueues_exactly_one_more()
    {
        _trigger.RequestRun();
        var first = Assert.Single(EnqueuedDrains());
        // What a worker does with it: the drain ran and read the inbox.
        Assert.True(_jobs.ChangeState(first, new SucceededState(null, 0, 0), EnqueuedState.StateName));

        await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => Task.Run(_trigger.RequestRun)));

        var second = Assert.Single(EnqueuedDrains());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Nothing_is_enqueued_while_processing_is_switched_off()
    {
        var switchedOff = new WebhookInboxTrigger(_jobs, _storage, new WebhookOptions { ProcessingEnabled = false });

        switchedOff.RequestRun();

        Assert.Empty(EnqueuedDrains());
    }

    private List<string> EnqueuedDrains() =>
        _storage.GetMonitoringApi().EnqueuedJobs(EnqueuedState.DefaultQueue, 0, 1000)
            .Where(j => j.Value.State == EnqueuedState.StateName && j.Value.Job?.Type == typeof(WebhookInboxJob))
            .Select(j => j.Key)
            .ToList();

    public void Dispose()
    {
        (_storage as IDisposable)?.Dispose();
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }
}
