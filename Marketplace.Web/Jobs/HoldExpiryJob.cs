using Hangfire;
using Marketplace.Core.Orders;

namespace Marketplace.Web.Jobs;

/// <summary>Releases service-order holds past their expiry to the buyers and marks those orders expired.</summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(JobsExtensions.SweepLockTimeoutSeconds)]
public sealed partial class HoldExpiryJob(SellerService sellers, ILogger<HoldExpiryJob> logger) : IMarketplaceJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var expired = await sellers.ExpireOverdueAsync(cancellationToken);
        if (expired > 0)
        {
            Expired(logger, expired);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released the holds of {Count} overdue service orders.")]
    private static partial void Expired(ILogger logger, int count);
}
