using Hangfire;
using Marketplace.Core.Payments;

namespace Marketplace.Web.Jobs;

/// <summary>Closes and expires payments left open longer than <c>Payments:ExpireAfter</c>.</summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(JobsExtensions.SweepLockTimeoutSeconds)]
public sealed class PaymentExpiryJob(PaymentExpiry expiry) : IMarketplaceJob
{
    public Task RunAsync(CancellationToken cancellationToken) => expiry.ExpireStaleAsync(cancellationToken);
}
