using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Core.Identity;

/// <summary>
/// The account recovery code and the Ed25519 key derived from it. The browser does all of this itself (recovery.js);
/// this is the same derivation for tests and for anyone who needs to check a code by hand:
/// <list type="bullet">
/// <item>the code is 28 random Crockford Base32 symbols (140 bits), shown as 7 groups of 4: <c>7KQ4-9XPD-…</c>;</item>
/// <item>normalised: spaces and hyphens dropped, upper case, O read as 0, I and L as 1; then exactly 28 symbols of
/// <c>0123456789ABCDEFGHJKMNPQRSTVWXYZ</c>;</item>
/// <item>seed = HKDF-SHA256(ikm = ASCII of the 28 normalised symbols, salt = "marketplace.recovery.v1",
/// info = "ed25519-seed", 32 bytes); the recovery key is the Ed25519 key with that seed.</item>
/// </list>
/// </summary>
public static class RecoveryCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Symbols = 28;
    public const int GroupLength = 4;
    public const string Salt = "marketplace.recovery.v1";
    public const string Info = "ed25519-seed";

    /// <summary>A new code, grouped for display.</summary>
    public static string Generate()
    {
        // 256 is a multiple of 32, so the low five bits of a random byte are a uniform symbol.
        var bytes = RandomNumberGenerator.GetBytes(Symbols);
        return Group(new string(bytes.Select(b => Alphabet[b & 31]).ToArray()));
    }

    /// <summary>The 28 canonical symbols, or null if <paramref name="code"/> is not a recovery code.</summary>
    public static string? Normalize(string? code)
    {
        if (code is null || code.Length > 100)
        {
            return null;
        }

        var symbols = new StringBuilder(Symbols);
        foreach (var c in code)
        {
            if (c is '-' || char.IsWhiteSpace(c))
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (!Alphabet.Contains(upper, StringComparison.Ordinal))
            {
                return null;
            }

            symbols.Append(upper);
        }

        return symbols.Length == Symbols ? symbols.ToString() : null;
    }

    public static string Group(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        return string.Join('-', normalized.Chunk(GroupLength).Select(g => new string(g)));
    }

    /// <summary>The recovery key's 32-byte seed and public key; null for text that is not a recovery code.</summary>
    public static Ed25519KeyPair? DeriveKey(string? code)
    {
        if (Normalize(code) is not { } normalized)
        {
            return null;
        }

        var seed = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.ASCII.GetBytes(normalized), 32, Encoding.UTF8.GetBytes(Salt), Encoding.UTF8.GetBytes(Info));
        return new Ed25519KeyPair(seed, Ed25519.PublicKeyFromSeed(seed));
    }
}
