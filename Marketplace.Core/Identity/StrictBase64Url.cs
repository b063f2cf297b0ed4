using System.Buffers.Text;

namespace Marketplace.Core.Identity;

/// <summary>
/// Decoding for keys and signatures that arrive in requests. The framework's
/// <see cref="Base64Url"/> accepts padding and whitespace and throws
/// <see cref="FormatException"/> from its Try method; we want exactly one spelling per
/// byte string and a plain false for anything else.
/// </summary>
public static class StrictBase64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null || text.Length % 4 == 1)
            return false;

        foreach (var c in text)
        {
            if (!IsAlphabet(c))
                return false;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        try
        {
            if (!Base64Url.TryDecodeFromChars(text, buffer, out var written))
                return false;
            bytes = buffer.AsSpan(0, written).ToArray();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsAlphabet(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
