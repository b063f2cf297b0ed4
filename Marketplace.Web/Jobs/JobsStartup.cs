using Hangfire;
using Hangfire.Storage;

namespace Marketplace.Web.Jobs;

/// <summary>
/// At start: makes Hangfire's recurring jobs exactly <see cref="JobSchedule"/> (added, updated, and any other
/// recurring job, such as one switched off or renamed, removed), then enqueues one drain for whatever webhooks a
/// restart left pending, and one send of the mail outbox.
/// </summary>
public sealed class JobsStartup(JobSchedule schedule, IRecurringJobManager recurringJobs, JobStorage storage, WebhookInboxTrigger inbox, Marketplace.Core.Mail.IMailOutboxTrigger outbox) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var wanted = schedule.Jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var job in schedule.Jobs)
        {
            recurringJobs.AddOrUpdate(job.Id, job.Job, job.Cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }

        using (var connection = storage.GetConnection())
        {
            foreach (var stale in connection.GetRecurringJobs().Where(j => !wanted.Contains(j.Id)))
            {
                recurringJobs.RemoveIfExists(stale.Id);
            }
        }

        inbox.RequestRun();
        outbox.RequestRun();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
