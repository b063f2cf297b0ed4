using Marketplace.Core.Payments;
using Quartz;

namespace Marketplace.Web.Jobs;

/// <summary>Closes and expires payments left open longer than <c>Payments:ExpireAfter</c>.</summary>
[DisallowConcurrentExecution]
public sealed class PaymentExpiryJob(PaymentExpiry expiry) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await expiry.ExpireStaleAsync(cancellationToken);
}
