using Marketplace.Core.Ledger;
using Marketplace.Web.Jobs;
using Marketplace.Web.Tests.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Marketplace.Web.Tests.Jobs;

public sealed class WhenTheNightlyReconciliationRuns(ReconciliationApp app) : IClassFixture<ReconciliationApp>
{
    [Fact]
    public async Task It_is_scheduled_at_two_in_the_morning_utc_by_default()
    {
        var scheduler = await SchedulerAsync();

        var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(new TriggerKey("ReconciliationJob.cron")));

        Assert.Equal(ReconciliationJob.DefaultCron, trigger.CronExpressionString);
        Assert.Equal(TimeZoneInfo.Utc.Id, trigger.TimeZone.Id);
    }

    [Fact]
    public async Task A_fired_job_stores_a_run_triggered_by_the_schedule()
    {
        var scheduler = await SchedulerAsync();

        await scheduler.TriggerJob(new JobKey(nameof(ReconciliationJob)));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        ReconciliationRun? run = null;
        while (run is null && DateTime.UtcNow < deadline)
        {
            run = await app.QueryAsync(db => db.ReconciliationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Trigger == ReconciliationService.ScheduleTrigger));
            if (run is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(run);
        Assert.Equal(ReconciliationStatus.Clean, run.Status);
    }

    private async Task<IScheduler> SchedulerAsync()
    {
        _ = app.CreateClient();
        // AddQuartz("marketplace", …) registers the scheduler's services under its name.
        var factory = app.Services.GetRequiredKeyedService<ISchedulerFactory>("marketplace");
        return await factory.GetScheduler();
    }
}
