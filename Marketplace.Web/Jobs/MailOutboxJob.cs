using Hangfire;
using Marketplace.Core.Mail;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Sends the mail outbox: enqueued right after a commit that queued mail, run by the recurring sweep (retries whose
/// backoff has passed, and anything a crash left) and once at start. The outbox rows are the durable state, with their
/// own backoff and give-up, so Hangfire never retries a run. Runs may overlap, on one instance or several: each row is
/// claimed by one of them (<see cref="MailOutboxSender"/>).
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class MailOutboxJob(MailOutboxSender sender) : IMarketplaceJob
{
    public const string CronSetting = "Jobs:MailOutboxCron";

    public Task RunAsync(CancellationToken cancellationToken) => sender.SendDueAsync(cancellationToken);
}

/// <summary>
/// Asks for a send now (a change queued mail and committed). A burst coalesces as the webhook inbox's does: while the
/// run enqueued last has not started, it will see the new rows, so no second one is enqueued.
/// </summary>
public sealed class MailOutboxTrigger(IBackgroundJobClient jobs, JobStorage storage) : IMailOutboxTrigger
{
    private readonly CoalescedRun<MailOutboxJob> _run = new(jobs, storage);

    public void RequestRun() => _run.Request();
}
