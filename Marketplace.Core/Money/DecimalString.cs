using System.Globalization;
using System.Text;

namespace Marketplace.Core;

/// <summary>
/// Parses and formats amounts written as decimal strings ("12.50") into integer minor units,
/// without ever passing through floating point.
/// </summary>
public static class DecimalString
{
    private const int MaxIntegerDigits = 15;

    /// <summary>Accepts "12", "12.5", "12.50", "1,234.50"; rejects signs, exponents, and more decimals than <paramref name="decimals"/>.</summary>
    public static AmountParse TryParseUnits(string? text, int decimals, out long units)
    {
        units = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return AmountParse.Malformed;
        }

        var s = text.Trim();
        if (s.StartsWith('-'))
        {
            // "-12.50" is as negative as "-1": judge the rest as an amount, not as bare digits.
            var magnitude = s.Length > 1 && char.IsAsciiDigit(s[1]) ? TryParseUnits(s[1..], decimals, out _) : AmountParse.Malformed;
            return magnitude == AmountParse.Malformed ? AmountParse.Malformed : AmountParse.Negative;
        }

        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? string.Empty : s[(dot + 1)..];
        whole = StripGrouping(whole);
        if (whole is null || whole.Length == 0 || !IsDigitsOnly(whole) || (dot >= 0 && (fraction.Length == 0 || !IsDigitsOnly(fraction))))
        {
            return AmountParse.Malformed;
        }

        if (fraction.Length > decimals)
        {
            return AmountParse.TooPrecise;
        }

        whole = whole.TrimStart('0');
        if (whole.Length > MaxIntegerDigits)
        {
            return AmountParse.TooLarge;
        }

        var wholeValue = whole.Length == 0 ? 0 : long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        var fractionValue = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(decimals, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        units = (wholeValue * Pow10(decimals)) + fractionValue;
        return AmountParse.Ok;
    }

    /// <summary>"123456" with 2 decimals → "1234.56"; grouping adds thousands separators ("1,234.56").</summary>
    public static string Format(long units, int decimals, bool grouping = false)
    {
        var negative = units < 0;
        var magnitude = negative ? (ulong)-(units + 1) + 1 : (ulong)units;
        var scale = (ulong)Pow10(decimals);
        var whole = (magnitude / scale).ToString(CultureInfo.InvariantCulture);
        if (grouping)
        {
            whole = Group(whole);
        }

        var builder = new StringBuilder();
        if (negative)
        {
            builder.Append('-');
        }

        builder.Append(whole);
        if (decimals > 0)
        {
            builder.Append('.').Append((magnitude % scale).ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0'));
        }

        return builder.ToString();
    }

    internal static long Pow10(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    private static string? StripGrouping(string whole)
    {
        if (!whole.Contains(',', StringComparison.Ordinal))
        {
            return whole;
        }

        var groups = whole.Split(',');
        if (groups[0].Length is 0 or > 3 || groups.Skip(1).Any(g => g.Length != 3))
        {
            return null;
        }

        return string.Concat(groups);
    }

    private static bool IsDigitsOnly(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static string Group(string digits)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            if (i > 0 && (digits.Length - i) % 3 == 0)
            {
                builder.Append(',');
            }

            builder.Append(digits[i]);
        }

        return builder.ToString();
    }
}

public enum AmountParse
{
    Ok,
    Malformed,
    Negative,
    TooPrecise,
    TooLarge,
}
