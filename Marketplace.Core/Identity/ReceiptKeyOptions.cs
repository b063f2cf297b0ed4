using Marketplace.Core.Settings;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Identity;

/// <summary>
/// Where the receipt-signing key comes from: <c>RECEIPT_SIGNING_KEY</c> (the 32-byte Ed25519 seed in base64url), or
/// <c>RECEIPT_SIGNING_KEY_FILE</c> (a file holding it, such as a mounted secret), or neither: then the key is kept in
/// the database, encrypted, and shared by every instance on it (<see cref="ReceiptKeys"/>).
/// </summary>
public sealed class ReceiptKeyOptions : ISettings<ReceiptKeyOptions>
{
    private const string SeedExpected = "a 32-byte Ed25519 seed in base64url without padding (43 characters)";

    public static string Section => string.Empty;

    [ConfigurationKeyName("RECEIPT_SIGNING_KEY")]
    public string? Key { get; init; }

    [ConfigurationKeyName("RECEIPT_SIGNING_KEY_FILE")]
    public string? KeyFile { get; init; }

    /// <summary>The seed from <see cref="Key"/> or the file, read and checked at start; null when the database keeps it.</summary>
    public byte[]? ConfiguredSeed { get; private set; }

    /// <summary>Which setting the seed came from, for messages.</summary>
    public string ConfiguredSource { get; private set; } = string.Empty;

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (Key is not null && KeyFile is not null)
        {
            check.NotAccepted(check.Key(nameof(KeyFile)), "RECEIPT_SIGNING_KEY is set too; set one of them");
            return;
        }

        if (Key is not null)
        {
            if (TryParse(Key, out var seed))
            {
                (ConfiguredSeed, ConfiguredSource) = (seed, "RECEIPT_SIGNING_KEY");
            }
            else
            {
                check.Invalid(check.Key(nameof(Key)), SeedExpected);
            }
        }
        else if (KeyFile is not null)
        {
            if (ReadFile(KeyFile) is { } seed)
            {
                (ConfiguredSeed, ConfiguredSource) = (seed, $"RECEIPT_SIGNING_KEY_FILE ({KeyFile})");
            }
            else
            {
                check.Invalid(check.Key(nameof(KeyFile)), $"a readable file holding {SeedExpected}");
            }
        }
    }

    internal static bool TryParse(string text, out byte[] seed) =>
        StrictBase64Url.TryDecode(text.Trim(), out seed) && seed.Length == Ed25519.PrivateKeySeedSize;

    private static byte[]? ReadFile(string path)
    {
        try
        {
            return TryParse(File.ReadAllText(path), out var seed) ? seed : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
