using Hangfire;
using Marketplace.Core.Ledger;

namespace Marketplace.Web.Jobs;

/// <summary>The nightly reconciliation; the service stores the run and logs each discrepancy itself.</summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(JobsExtensions.SweepLockTimeoutSeconds)]
public sealed class ReconciliationJob(ReconciliationService reconciliation) : IMarketplaceJob
{
    public const string CronSetting = "Reconciliation:Cron";

    public Task RunAsync(CancellationToken cancellationToken) => reconciliation.RunAsync(requestedBy: null, cancellationToken);
}
