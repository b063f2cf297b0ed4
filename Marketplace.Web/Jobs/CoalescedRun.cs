using Hangfire;
using Hangfire.States;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Enqueues a run of <typeparamref name="TJob"/> unless the run enqueued last has not started yet: that one will read
/// the rows the caller just committed, so a burst of requests becomes one job, not a flood of them.
/// </summary>
public sealed class CoalescedRun<TJob>(IBackgroundJobClient jobs, JobStorage storage)
    where TJob : IMarketplaceJob
{
    private readonly Lock _gate = new();
    private string? _waitingJobId;

    public void Request()
    {
        lock (_gate)
        {
            if (_waitingJobId is { } waiting && IsStillEnqueued(waiting))
            {
                return;
            }

            _waitingJobId = jobs.Enqueue<TJob>(job => job.RunAsync(CancellationToken.None));
        }
    }

    // Enqueued means no worker has begun it.
    private bool IsStillEnqueued(string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(jobId)?.Name == EnqueuedState.StateName;
    }
}
