using Hangfire;
using Marketplace.Core.Identity;

namespace Marketplace.Web.Jobs;

/// <summary>Deletes sessions idle past their expiry, and verification links long past theirs.</summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(JobsExtensions.SweepLockTimeoutSeconds)]
public sealed partial class SessionSweepJob(Sessions sessions, EmailVerifications verifications, ILogger<SessionSweepJob> logger) : IMarketplaceJob
{
    public const string CronSetting = "Jobs:SessionSweepCron";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var swept = await sessions.SweepExpiredAsync(cancellationToken);
        var links = await verifications.SweepExpiredAsync(cancellationToken);
        if (swept + links > 0)
        {
            Swept(logger, swept, links);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Swept {Sessions} expired sessions and {Links} expired verification links.")]
    private static partial void Swept(ILogger logger, int sessions, int links);
}
