using NSec.Cryptography;

namespace Marketplace.Core.Identity;

/// <summary>Raw Ed25519 keys: the 32-byte private seed and the 32-byte public key.</summary>
public sealed record Ed25519KeyPair(byte[] PrivateKeySeed, byte[] PublicKey);

/// <summary>
/// The only place that knows which Ed25519 library we use (NSec, over libsodium), so swapping it
/// touches this file alone.
/// </summary>
public static class Ed25519
{
    public const int PublicKeySize = 32;
    public const int PrivateKeySeedSize = 32;
    public const int SignatureSize = 64;

    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    /// <summary>
    /// True only for a well-formed signature by <paramref name="publicKey"/> over
    /// <paramref name="message"/>; every malformed input is simply false, because callers
    /// feed it untrusted bytes straight from requests.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        publicKey.Length == PublicKeySize
        && signature.Length == SignatureSize
        && PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var key)
        && key is not null
        && Algorithm.Verify(key, message, signature);

    public static Ed25519KeyPair Generate()
    {
        using var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new Ed25519KeyPair(key.Export(KeyBlobFormat.RawPrivateKey), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public static byte[] Sign(ReadOnlySpan<byte> privateKeySeed, ReadOnlySpan<byte> message)
    {
        using var key = PrivateKey(privateKeySeed);
        return Algorithm.Sign(key, message);
    }

    /// <summary>
    /// A private key imported once, for a signer that signs on every request (receipts): importing the seed costs a
    /// locked allocation and the key's derivation each time, about as much again as the signature itself.
    /// </summary>
    public static Ed25519SigningKey ImportSigningKey(ReadOnlySpan<byte> privateKeySeed) => new(PrivateKey(privateKeySeed));

    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> privateKeySeed)
    {
        using var key = PrivateKey(privateKeySeed);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    private static Key PrivateKey(ReadOnlySpan<byte> seed) =>
        seed.Length == PrivateKeySeedSize
            ? Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey)
            : throw new ArgumentException($"An Ed25519 private key seed is {PrivateKeySeedSize} bytes.", nameof(seed));
}

/// <summary>An imported Ed25519 private key; signing with it is safe from many threads at once.</summary>
public sealed class Ed25519SigningKey : IDisposable
{
    private readonly Key _key;

    internal Ed25519SigningKey(Key key) => _key = key;

    public byte[] PublicKey => _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    public void Dispose() => _key.Dispose();
}
