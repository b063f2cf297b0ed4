namespace Marketplace.Core.Identity;

/// <summary>
/// A secret every app instance on the database shares, such as the receipt-signing key: kept encrypted
/// (<see cref="ISecretProtector"/>), beside the public half where there is one so that a key that no longer decrypts is
/// named rather than silently replaced.
/// </summary>
public sealed class ServerKey
{
    public const int MaxNameLength = 100;
    public const int MaxProtectedValueLength = 2000;

    private ServerKey()
    {
    }

    /// <summary>What the key is for, e.g. <see cref="ReceiptKeys.Name"/>.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>The secret as <see cref="ISecretProtector.Protect"/> returned it.</summary>
    public string ProtectedValue { get; private set; } = string.Empty;

    /// <summary>The public half in base64url, or empty for a secret without one.</summary>
    public string PublicKey { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    public static ServerKey Create(string name, string protectedValue, string publicKey, DateTime now) => new()
    {
        Name = name,
        ProtectedValue = protectedValue,
        PublicKey = publicKey,
        CreatedAt = now,
    };
}
