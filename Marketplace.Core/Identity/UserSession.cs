namespace Marketplace.Core.Identity;

/// <summary>
/// One sign-in on one browser or client. The cookie carries a random token; only its SHA-256 is stored, so the
/// table alone cannot be turned back into working cookies. Ending a session deletes its row.
/// </summary>
public sealed class UserSession
{
    public const int MaxUserAgentLength = 300;
    public const int MaxIpAddressLength = 45;

    private UserSession()
    {
    }

    /// <summary>The id the account page and API use to name the session; not a secret.</summary>
    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public byte[] TokenHash { get; private set; } = [];

    public DateTime CreatedAt { get; private set; }

    public DateTime LastSeenAt { get; private set; }

    /// <summary>LastSeenAt plus the idle timeout: after it the session no longer signs anyone in and the sweep deletes it.</summary>
    public DateTime ExpiresAt { get; private set; }

    public string UserAgent { get; private set; } = string.Empty;

    public string IpAddress { get; private set; } = string.Empty;

    internal static UserSession Start(Guid userId, byte[] tokenHash, string? userAgent, string? ipAddress, DateTime now, TimeSpan idleTimeout) => new()
    {
        Id = Guid.NewGuid(),
        UserId = userId,
        TokenHash = tokenHash,
        CreatedAt = now,
        LastSeenAt = now,
        ExpiresAt = now + idleTimeout,
        UserAgent = Truncate(userAgent, MaxUserAgentLength),
        IpAddress = Truncate(ipAddress, MaxIpAddressLength),
    };

    private static string Truncate(string? text, int length) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.Length <= length ? text : text[..length];
}
