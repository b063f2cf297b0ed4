using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Marketplace.Core.Payments.Webhooks;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Drains the webhook inbox: enqueued when a webhook is stored or an admin retries one, run by the recurring sweep
/// (retries whose backoff has passed) and once at start (what a restart left). The inbox rows are the durable state,
/// with their own backoff and dead letters, so Hangfire never retries a drain.
/// <para>
/// One drain runs at a time across every instance sharing the job storage: a drain that finds the lock taken exits at
/// once instead of holding a worker, and the holder looks again after releasing it, so a row stored just before that
/// release is never left for the next sweep.
/// </para>
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class WebhookInboxJob(WebhookProcessor processor, WebhookOptions options, JobStorage storage) : IMarketplaceJob
{
    public const string LockResource = "marketplace:webhook-inbox";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!options.ProcessingEnabled)
        {
            return;
        }

        do
        {
            using (var held = TryLock())
            {
                if (held is null)
                {
                    return;
                }

                await processor.ProcessDueAsync(cancellationToken);
            }
        }
        while (!cancellationToken.IsCancellationRequested && await processor.AnyDueAsync(cancellationToken));
    }

    /// <summary>The drain lock without waiting, or null while another drain holds it; the connection lives as long as the lock.</summary>
    private Held? TryLock()
    {
        var connection = storage.GetConnection();
        try
        {
            return new Held(connection, connection.AcquireDistributedLock(LockResource, TimeSpan.Zero));
        }
        catch (DistributedLockTimeoutException)
        {
            connection.Dispose();
            return null;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class Held(IStorageConnection connection, IDisposable distributedLock) : IDisposable
    {
        public void Dispose()
        {
            distributedLock.Dispose();
            connection.Dispose();
        }
    }
}

/// <summary>
/// Asks for a drain now (a webhook was stored, an admin pressed Retry). A burst coalesces: while the drain enqueued
/// last has not started, it will see the new rows, so no second one is enqueued; this keeps a flood of webhooks from
/// becoming a flood of jobs. A no-op when processing is switched off.
/// </summary>
public sealed class WebhookInboxTrigger(IBackgroundJobClient jobs, JobStorage storage, WebhookOptions options)
{
    private readonly CoalescedRun<WebhookInboxJob> _run = new(jobs, storage);

    public void RequestRun()
    {
        if (options.ProcessingEnabled)
        {
            _run.Request();
        }
    }
}
