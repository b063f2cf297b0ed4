using Hangfire;
using Marketplace.Core.Ledger;

namespace Marketplace.Web.Jobs;

/// <summary>Signs a checkpoint of the ledger's Merkle tree every <c>Ledger__CheckpointInterval</c>, unless nothing was posted since the last one.</summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(JobsExtensions.SweepLockTimeoutSeconds)]
public sealed class LedgerCheckpointJob(LedgerCheckpoints checkpoints) : IMarketplaceJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // A refusal is logged as critical by the service, and reconciliation names the checkpoint the history no longer matches.
        if (await checkpoints.SignAsync(run: null, cancellationToken) is CheckpointResult.Refused { Reason: var reason })
        {
            throw new InvalidOperationException($"No checkpoint signed: {reason}");
        }
    }
}
