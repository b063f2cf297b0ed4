using System.Text;

namespace Marketplace.Core.Identity;

/// <summary>
/// The server's Ed25519 key for receipts (and ledger checkpoints). The app takes it from <see cref="ReceiptKeys"/>,
/// shared by every instance; <see cref="LoadOrCreate"/> keeps one in a file of its own (owner-only where the file
/// system supports it), for tools such as the bench that run without the app.
/// </summary>
public sealed class ReceiptSigner
{
    public const string FileName = "receipt-signing.key";

    // Imported once and kept for the signer's life (the process's, for the app's one signer).
    private readonly Ed25519SigningKey _key;

    private ReceiptSigner(byte[] seed, string source)
    {
        _key = Ed25519.ImportSigningKey(seed);
        Source = source;
        PublicKey = _key.PublicKey;
    }

    /// <summary>Where the key came from (a setting, a file's path, the database), for messages.</summary>
    public string Source { get; }

    public byte[] PublicKey { get; }

    /// <summary>The raw 32-byte public key in base64url without padding, as published at /api/receipts/public-key.</summary>
    public string PublicKeyText => StrictBase64Url.Encode(PublicKey);

    /// <summary>&lt;data directory&gt;/keys/receipt-signing.key</summary>
    public static string DefaultKeyFile(string dataDirectory) => Path.Combine(dataDirectory, "keys", FileName);

    /// <summary>A signer for a 32-byte seed taken from <paramref name="source"/>.</summary>
    public static ReceiptSigner FromSeed(byte[] seed, string source)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return new ReceiptSigner(seed, source);
    }

    /// <summary>Reads the key file, or creates it with a new key if there is none yet (instances starting together agree on one).</summary>
    public static ReceiptSigner LoadOrCreate(string keyFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyFile);
        var text = Identity.KeyFile.ReadOrCreate(keyFile, () => StrictBase64Url.Encode(Ed25519.Generate().PrivateKeySeed) + "\n");
        return new ReceiptSigner(Parse(text, keyFile), keyFile);
    }

    /// <summary>Ed25519 over the UTF-8 bytes of <paramref name="receipt"/>, base64url without padding.</summary>
    public string Sign(string receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return StrictBase64Url.Encode(_key.Sign(Encoding.UTF8.GetBytes(receipt)));
    }

    private static byte[] Parse(string text, string keyFile) =>
        StrictBase64Url.TryDecode(text.Trim(), out var seed) && seed.Length == Ed25519.PrivateKeySeedSize
            ? seed
            : throw new InvalidOperationException(
                $"The receipt key file '{keyFile}' does not hold a 32-byte Ed25519 seed in base64url. Restore it from a backup, "
                + "or delete it to start with a new key (receipts issued with the old key will then no longer verify).");
}
