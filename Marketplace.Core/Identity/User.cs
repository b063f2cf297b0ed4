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
