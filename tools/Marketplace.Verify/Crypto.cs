using System.Buffers.Text;
using NSec.Cryptography;

namespace Marketplace.Verify;

/// <summary>Ed25519 verification and base64url as the server writes them: raw keys and signatures, no padding, one spelling per value.</summary>
internal static class Crypto
{
    public static bool VerifyEd25519(byte[] publicKey, ReadOnlySpan<byte> message, byte[] signature) =>
        publicKey.Length == 32
        && signature.Length == 64
        && PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key)
        && key is not null
        && SignatureAlgorithm.Ed25519.Verify(key, message, signature);

    /// <summary>
    /// Base64url without padding, and only the one spelling the server writes: text whose unused low bits are not zero
    /// decodes to the same bytes as the canonical text, so it is refused, or an edited character could go unnoticed.
    /// </summary>
    public static bool TryDecodeBase64Url(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null || text.Length % 4 == 1 || !text.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
        {
            return false;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        try
        {
            if (!Base64Url.TryDecodeFromChars(text, buffer, out var written))
            {
                return false;
            }

            bytes = buffer[..written];
        }
        catch (FormatException)
        {
            return false;
        }

        return Base64Url.EncodeToString(bytes) == text;
    }

    public static string EncodeBase64Url(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
}
