using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Identity;

public enum ChallengePurpose
{
    Register = 1,
    Login = 2,

    /// <summary>Setting the recovery key: signed by the device key and by the recovery key it names.</summary>
    RecoveryKey = 3,

    /// <summary>Replacing the device key on a new device: signed by the recovery key, naming the new device key.</summary>
    Recover = 4,
}

/// <summary>A single-use random string the browser signs to prove it holds a private key.</summary>
public sealed class AuthChallenge
{
    /// <summary>Room for a purpose tag, 43 random characters and a 43-character public key.</summary>
    public const int MaxLength = 128;

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

    /// <summary>Marks the challenge used if it is live, unused, and was issued for this purpose and email; true only for the one caller that did.</summary>
    internal static async Task<bool> TryConsumeAsync(MarketplaceDb db, string value, ChallengePurpose purpose, string email, DateTime now, CancellationToken cancellationToken)
    {
        var used = await db.AuthChallenges
            .Where(c => c.Value == value && c.Purpose == purpose && c.UsedAt == null && c.ExpiresAt > now && (c.Email == null || c.Email == email))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken);
        return used == 1;
    }
}
