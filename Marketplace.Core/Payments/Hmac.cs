using System.Security.Cryptography;

namespace Marketplace.Core.Payments;

/// <summary>
/// HMAC-SHA256 as every gateway uses it for webhook authenticity (Stripe's v1 signatures, ClickPesa's checksum,
/// our own demo events). Comparisons are constant-time and only ever against a full 32-byte tag.
/// </summary>
public static class Hmac
{
    public const int TagBytes = 32;

    public static byte[] Sha256(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message) => HMACSHA256.HashData(key, message);

    /// <summary>Lowercase hex, as Stripe and ClickPesa send it.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message) => Convert.ToHexStringLower(Sha256(key, message));

    /// <summary>True when <paramref name="tag"/> is exactly the MAC of the message; truncated tags are never accepted.</summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> tag) =>
        tag.Length == TagBytes && CryptographicOperations.FixedTimeEquals(Sha256(key, message), tag);

    /// <summary>Like <see cref="Verify"/> for a hex tag (either case); anything that is not 64 hex digits is rejected.</summary>
    public static bool VerifyHex(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, string? hexTag)
    {
        if (hexTag is not { Length: TagBytes * 2 })
        {
            return false;
        }

        Span<byte> tag = stackalloc byte[TagBytes];
        return Convert.FromHexString(hexTag, tag, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == TagBytes
            && Verify(key, message, tag);
    }
}
