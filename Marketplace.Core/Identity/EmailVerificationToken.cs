namespace Marketplace.Core.Identity;

/// <summary>One verification link: a random token (stored as its SHA-256 only), single use, valid for a day.</summary>
public sealed class EmailVerificationToken
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private EmailVerificationToken()
    {
    }

    public byte[] TokenHash { get; private set; } = [];

    public Guid UserId { get; private set; }

    /// <summary>The address the link was sent to: the one it verifies.</summary>
    public string Email { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? UsedAt { get; private set; }

    internal static EmailVerificationToken Issue(byte[] tokenHash, Guid userId, string email, DateTime now) => new()
    {
        TokenHash = tokenHash,
        UserId = userId,
        Email = email,
        CreatedAt = now,
        ExpiresAt = now + Lifetime,
    };
}
