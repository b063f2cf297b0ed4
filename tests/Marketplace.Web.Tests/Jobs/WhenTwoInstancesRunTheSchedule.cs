using Hangfire;
using Hangfire.Storage;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Web.Jobs;
using Marketplace.Web.Tests.Instances;
using Marketplace.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>
/// Two instances on one data directory share the job storage, so each occurrence of a recurring job (reconciliation,
/// the expiry sweeps) is enqueued once, by whichever instance's scheduler gets there, and run once, by one worker.
/// The schedules fire every second here so that many occurrences pass while both instances are up.
/// </summary>
public sealed class WhenTwoInstancesRunTheSchedule : IDisposable
{
    private const int Occurrences = 4;
    private static readonly string[] Sweeps = ["reconciliation", "payment-expiry", "hold-expiry"];

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-two-schedulers-");

    [Fact]
    public async Task Each_occurrence_of_a_sweep_runs_once_and_every_reconciliation_run_is_one_job()
    {
        (string, string)[] everySecond =
        [
            ("Reconciliation:Cron", "* * * * * *"),
            ("Payments:ExpiryCron", "* * * * * *"),
            ("Jobs:HoldExpiryCron", "* * * * * *"),
            ("Jobs:SessionSweepCron", JobTesting.Never),
            ("Webhooks:SweepCron", JobTesting.Never),
        ];
        using (var first = new SharedDataApp(_dataDirectory, everySecond))
        using (var second = new SharedDataApp(_dataDirectory, everySecond))
        {
            _ = first.Services;
            _ = second.Services;
            await Eventually.PollAsync(() => CountRunsAsync(first), n => n >= Occurrences, $"{Occurrences} scheduled reconciliation runs");
        }

        // Both hosts have stopped, each after its running job finished: what the storage and the database hold is final.
        var settings = new DatabaseSettings(TestProvider.Kind, MarketplaceApp.ConnectionString(_dataDirectory), _dataDirectory.FullName);
        var storage = JobsExtensions.StorageFor(settings);
        var monitoring = storage.GetMonitoringApi();
        Assert.Equal(0, monitoring.FailedCount());
        using var connection = storage.GetConnection();
        var succeeded = monitoring.SucceededJobs(0, 10_000)
            .Select(j => (Id: j.Key, Recurring: connection.GetJobParameter(j.Key, "RecurringJobId"), Time: connection.GetJobParameter(j.Key, "Time")))
            .Where(j => j.Recurring is not null && Sweeps.Any(s => j.Recurring.Contains(s, StringComparison.Ordinal)))
            .ToList();

        Assert.All(succeeded, j => Assert.False(string.IsNullOrEmpty(j.Time), $"job {j.Id} has no scheduled time"));
        var twice = succeeded.GroupBy(j => (j.Recurring, j.Time)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Recurring} at {g.Key.Time}").ToList();
        Assert.True(twice.Count == 0, "Occurrences run more than once: " + string.Join(", ", twice));
        var reconciliations = succeeded.Count(j => j.Recurring!.Contains("reconciliation", StringComparison.Ordinal));
        Assert.True(reconciliations >= Occurrences);
        var options = new DbContextOptionsBuilder<MarketplaceDb>();
        DatabaseProvider.Configure(options, settings);
        await using var db = new MarketplaceDb(options.Options);
        Assert.Equal(reconciliations, await db.ReconciliationRuns.CountAsync(r => r.Trigger == ReconciliationService.ScheduleTrigger));
    }

    private static async Task<int> CountRunsAsync(SharedDataApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().ReconciliationRuns.CountAsync(r => r.Trigger == ReconciliationService.ScheduleTrigger);
    }

    public void Dispose()
    {
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }
}
