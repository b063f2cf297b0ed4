using Marketplace.Core.Identity;
using Quartz;

namespace Marketplace.Web.Jobs;

/// <summary>Deletes sessions idle past their expiry, and verification links long past theirs.</summary>
[DisallowConcurrentExecution]
public sealed partial class SessionSweepJob(Sessions sessions, EmailVerifications verifications, ILogger<SessionSweepJob> logger) : IJob
{
    public const string IntervalSetting = "Jobs:SessionSweepInterval";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
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
