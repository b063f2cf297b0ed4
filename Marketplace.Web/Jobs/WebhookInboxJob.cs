using Marketplace.Core.Payments.Webhooks;
using Quartz;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Drains the webhook inbox: triggered at once when a webhook is stored, and on a sweep interval for retries and
/// for rows left pending by a restart. One run at a time per app; rows are claimed safely across apps anyway.
/// </summary>
[DisallowConcurrentExecution]
public sealed class WebhookInboxJob(WebhookProcessor processor) : IJob
{
    public static readonly JobKey Key = new(nameof(WebhookInboxJob));

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await processor.ProcessDueAsync(cancellationToken);
}

/// <summary>Asks for an inbox run now (after storing a webhook, or an admin's Retry); a no-op when processing is switched off.</summary>
public sealed class WebhookInboxTrigger([FromKeyedServices(JobsExtensions.SchedulerName)] IScheduler scheduler, WebhookOptions options)
{
    public async Task RequestRunAsync(CancellationToken cancellationToken = default)
    {
        if (!options.ProcessingEnabled)
        {
            return;
        }

        await scheduler.TriggerJob(WebhookInboxJob.Key, cancellationToken);
    }
}
