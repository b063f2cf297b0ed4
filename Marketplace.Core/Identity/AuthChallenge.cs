namespace Marketplace.Core.Identity;

public enum ChallengePurpose
{
    Register = 1,
    Login = 2,
}

/// <summary>A single-use random string the browser signs to prove it holds a private key.</summary>
public sealed class AuthChallenge
{
    private AuthChallenge()
    {
    }

    public string Value { get; private set; } = string.Empty;

    public ChallengePurpose Purpose { get; private set; }

    public string? Email { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? UsedAt { get; private set; }

    internal static AuthChallenge Issue(string value, ChallengePurpose purpose, string? email, DateTime now, TimeSpan lifetime) => new()
    {
        Value = value,
        Purpose = purpose,
        Email = email,
        CreatedAt = now,
        ExpiresAt = now + lifetime,
    };
}
