using Hangfire;
using Hangfire.Storage;
using Marketplace.Core.Ledger;
using Marketplace.Web.Jobs;
using Marketplace.Web.Tests.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Jobs;

public sealed class WhenTheNightlyReconciliationRuns(ReconciliationApp app) : IClassFixture<ReconciliationApp>
{
    [Fact]
    public void It_is_a_recurring_job_at_two_in_the_morning_utc_by_default()
    {
        _ = app.CreateClient();
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == "reconciliation");

        Assert.Equal("0 2 * * *", job.Cron);
        Assert.Equal(TimeZoneInfo.Utc.Id, job.TimeZoneId);
        Assert.Equal(typeof(ReconciliationJob), job.Job.Type);
        Assert.Equal(nameof(ReconciliationJob.RunAsync), job.Job.Method.Name);
        Assert.Null(job.Error);
        Assert.NotNull(job.NextExecution);
        Assert.Equal(TimeSpan.FromHours(2), job.NextExecution.Value.TimeOfDay);
    }

    [Fact]
    public async Task A_triggered_run_stores_a_run_triggered_by_the_schedule()
    {
        _ = app.CreateClient();

        _ = app.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob("reconciliation");

        var run = await Eventually.PollAsync(
            () => app.QueryAsync(db => db.ReconciliationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Trigger == ReconciliationService.ScheduleTrigger)),
            r => r is not null,
            "a scheduled reconciliation run");
        Assert.Equal(ReconciliationStatus.Clean, run!.Status);
    }
}
