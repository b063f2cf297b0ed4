namespace Marketplace.Core.Identity;

/// <summary>
/// Encrypts a secret for storage in the database and decrypts it again, on any instance that shares the key ring
/// (the web app's data protection, whose keys are themselves encrypted with the configured certificate).
/// </summary>
public interface ISecretProtector
{
    string Protect(string secret);

    /// <summary>The secret, or null when <paramref name="protectedSecret"/> cannot be decrypted with the keys at hand.</summary>
    UnprotectedSecret? Unprotect(string protectedSecret);
}

/// <param name="Secret">The decrypted secret.</param>
/// <param name="IsStale">
/// It was encrypted with a key that is no longer the current one (the certificate or the key ring moved on): protect it
/// again, so that the old key, and the certificate that encrypts it, can one day go.
/// </param>
public sealed record UnprotectedSecret(string Secret, bool IsStale);
