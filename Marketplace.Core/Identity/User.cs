namespace Marketplace.Core.Identity;

public sealed class User
{
    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 80;

    private User()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Lower-cased and trimmed; unique.</summary>
    public string Email { get; private set; } = string.Empty;

    public string DisplayName { get; private set; } = string.Empty;

    /// <summary>The raw 32-byte Ed25519 public key; null for seeded demo sellers, who cannot sign in.</summary>
    public byte[]? PublicKey { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>When the owner of the address followed a verification link; null until then (no transfers in, no admin role).</summary>
    public DateTime? EmailVerifiedAt { get; private set; }

    /// <summary>The admin role. Granted only by the admin command or an existing admin, never by configuration.</summary>
    public bool IsAdmin { get; private set; }

    /// <summary>The raw 32-byte Ed25519 public key derived from the user's recovery code; null until one is set up (or after it was used).</summary>
    public byte[]? RecoveryPublicKey { get; private set; }

    public bool IsEmailVerified => EmailVerifiedAt is not null;

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    public static User Register(Guid id, string email, string displayName, byte[] publicKey, DateTime now) => new()
    {
        Id = id,
        Email = NormalizeEmail(email),
        DisplayName = displayName.Trim(),
        PublicKey = publicKey,
        CreatedAt = now,
    };

    internal static User SeededSeller(Guid id, string email, string displayName, DateTime now) => new()
    {
        Id = id,
        Email = NormalizeEmail(email),
        DisplayName = displayName,
        CreatedAt = now,
    };
}
