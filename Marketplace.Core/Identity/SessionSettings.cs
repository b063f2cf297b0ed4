using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Identity;

/// <summary>How long an idle session lives, and how long one request's check of it may be reused by the next.</summary>
public sealed record SessionSettings(TimeSpan IdleTimeout, TimeSpan RecheckInterval)
{
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromDays(14);

    public static readonly TimeSpan DefaultRecheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>LastSeenAt is written at most this often per session, so browsing is not a stream of writes.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public static SessionSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var idle = ConfigurationValues.PositiveTimeSpan(configuration, "Sessions:IdleTimeout", DefaultIdleTimeout);
        var recheck = configuration["Sessions:RecheckInterval"] is { Length: > 0 } text
            ? TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero && value <= TimeSpan.FromMinutes(1)
                ? value
                : throw ConfigurationValues.Invalid("Sessions:RecheckInterval", "a time span from 00:00:00 to 00:01:00")
            : DefaultRecheckInterval;
        return new SessionSettings(idle, recheck);
    }
}
