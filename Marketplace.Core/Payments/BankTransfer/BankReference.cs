using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Core.Payments.BankTransfer;

/// <summary>
/// The reference a shopper writes on a bank transfer, e.g. <c>MC-7KQ4-9XPD</c>: the prefix <c>MC</c>, seven random
/// symbols and one check symbol, all from Crockford's Base32 alphabet <c>0123456789ABCDEFGHJKMNPQRSTVWXYZ</c>
/// (no I, L, O or U, so nothing reads as something else). Ten letters and digits fit any bank's memo field.
/// <para>
/// Check symbol: the seven symbols are a 35-bit number (most significant first); the check is that number
/// modulo 37, written with the same alphabet. 37 is prime, so every single wrong symbol and every swap of two
/// neighbours changes the remainder and is caught. Crockford spells remainders 32–36 with <c>*~$=U</c>, which
/// banks mangle, so <see cref="New"/> draws again until the remainder is below 32 (every reference is letters
/// and digits; about one draw in seven is repeated).
/// </para>
/// <para>Reading one back is forgiving: case-insensitive, hyphens and spaces ignored, O read as 0, I and L as 1, the prefix optional.</para>
/// </summary>
public static class BankReference
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const string Prefix = "MC";
    public const int PayloadSymbols = 7;
    private const int CheckModulus = 37;
    private const long PayloadMask = (1L << (5 * PayloadSymbols)) - 1;

    /// <summary>A fresh reference from the system's cryptographic random source.</summary>
    public static string New() => New(RandomNumberGenerator.Fill);

    /// <summary>A fresh reference from <paramref name="fillRandom"/> (tests pass a fixed source).</summary>
    public static string New(Action<Span<byte>> fillRandom)
    {
        ArgumentNullException.ThrowIfNull(fillRandom);
        Span<byte> random = stackalloc byte[8];
        while (true)
        {
            fillRandom(random);
            var payload = BitConverter.ToInt64(random) & PayloadMask;
            if (payload % CheckModulus < Alphabet.Length)
            {
                return Format(payload);
            }
        }
    }

    /// <summary>Reads what a person typed; true with the canonical <c>MC-XXXX-XXXX</c> form when the check symbol agrees.</summary>
    public static bool TryNormalize(string? text, out string reference)
    {
        reference = string.Empty;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40)
        {
            return false;
        }

        var symbols = new StringBuilder();
        foreach (var c in text)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            symbols.Append(char.ToUpperInvariant(c) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var upper => upper,
            });
        }

        var body = symbols.ToString();
        if (body.Length == PayloadSymbols + 1 + Prefix.Length && body.StartsWith(Prefix, StringComparison.Ordinal))
        {
            body = body[Prefix.Length..];
        }

        if (body.Length != PayloadSymbols + 1)
        {
            return false;
        }

        long payload = 0;
        for (var i = 0; i < PayloadSymbols; i++)
        {
            var value = Alphabet.IndexOf(body[i], StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }

            payload = (payload << 5) | (uint)value;
        }

        if (Alphabet.IndexOf(body[PayloadSymbols], StringComparison.Ordinal) != payload % CheckModulus)
        {
            return false;
        }

        reference = Format(payload);
        return true;
    }

    private static string Format(long payload)
    {
        Span<char> symbols = stackalloc char[PayloadSymbols + 1];
        for (var i = PayloadSymbols - 1; i >= 0; i--)
        {
            symbols[i] = Alphabet[(int)((payload >> (5 * (PayloadSymbols - 1 - i))) & 31)];
        }

        symbols[PayloadSymbols] = Alphabet[(int)(payload % CheckModulus)];
        var text = new string(symbols);
        return $"{Prefix}-{text[..4]}-{text[4..]}";
    }
}
