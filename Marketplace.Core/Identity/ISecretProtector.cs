namespace Marketplace.Core.Identity;

/// <summary>
/// Encrypts a secret for storage in the database and decrypts it again, on any instance that shares the key ring
/// (the web app's data protection, whose keys are themselves encrypted with the configured certificate).
/// </summary>
public interface ISecretProtector
{
    string Protect(string secret);

    /// <summary>The secret, or null when <paramref name="protectedSecret"/> cannot be decrypted with the keys at hand.</summary>
    string? Unprotect(string protectedSecret);
}
