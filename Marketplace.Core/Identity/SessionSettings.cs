using Marketplace.Core.Settings;

namespace Marketplace.Core.Identity;

/// <summary>How long an idle session lives, and how long one request's check of it may be reused by the next (<c>Sessions__…</c>).</summary>
public sealed class SessionSettings : ISettings<SessionSettings>
{
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromDays(14);

    public static readonly TimeSpan DefaultRecheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>LastSeenAt is written at most this often per session, so browsing is not a stream of writes.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public static string Section => "Sessions";

    public TimeSpan IdleTimeout { get; init; } = DefaultIdleTimeout;

    public TimeSpan RecheckInterval { get; init; } = DefaultRecheckInterval;

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.PositiveTimeSpan(nameof(IdleTimeout), IdleTimeout);
        if (RecheckInterval < TimeSpan.Zero || RecheckInterval > TimeSpan.FromMinutes(1))
        {
            check.Invalid(check.Key(nameof(RecheckInterval)), "a time span from 00:00:00 to 00:01:00");
        }
    }
}
