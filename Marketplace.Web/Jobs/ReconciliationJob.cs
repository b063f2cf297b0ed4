using Marketplace.Core.Ledger;
using Quartz;

namespace Marketplace.Web.Jobs;

/// <summary>The nightly reconciliation; the service stores the run and logs each discrepancy itself.</summary>
[DisallowConcurrentExecution]
public sealed class ReconciliationJob(ReconciliationService reconciliation) : IJob
{
    public const string CronSetting = "Reconciliation:Cron";

    /// <summary>02:00 UTC every day.</summary>
    public const string DefaultCron = "0 0 2 * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await reconciliation.RunAsync(requestedBy: null, cancellationToken);
}
