using System.Globalization;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Text;

namespace Marketplace.Core.Payments.ClickPesa;

/// <summary>
/// ClickPesa's "canonical" checksum (the default since January 2026): leave out <c>checksum</c> and
/// <c>checksumMethod</c>, sort object keys at every depth, serialise as compact JSON the way JavaScript's
/// <c>JSON.stringify</c> does, HMAC-SHA256 with the checksum key, lowercase hex. The same method signs our
/// requests and ClickPesa's webhooks.
/// <para>
/// Where ClickPesa's reference code runs (Node), key order is JavaScript's: integer-like keys first in numeric
/// order, then the rest sorted by UTF-16 code units; strings escape only quotes, backslashes and control
/// characters. Numbers are written as received with trailing fraction zeros dropped (JavaScript would print
/// <c>1.50</c> as <c>1.5</c>); exponent forms are left as they are (*unsure*: the amounts we see are strings).
/// </para>
/// </summary>
public static class ClickPesaChecksum
{
    private static readonly string[] Excluded = ["checksum", "checksumMethod"];

    /// <summary>The checksum of <paramref name="payload"/> (its own checksum fields ignored).</summary>
    public static string Compute(string checksumKey, JsonElement payload)
    {
        ArgumentNullException.ThrowIfNull(checksumKey);
        return Hmac.Sha256Hex(Encoding.UTF8.GetBytes(checksumKey), Encoding.UTF8.GetBytes(Canonicalize(payload)));
    }

    /// <summary>
    /// True when the webhook carries a checksum that matches. Where the field sits is not documented
    /// (*unsure*): a top-level <c>checksum</c> is checked over the whole payload, one inside <c>data</c> over
    /// the whole payload and over <c>data</c> alone.
    /// </summary>
    public static bool Verify(string checksumKey, JsonElement payload)
    {
        ArgumentNullException.ThrowIfNull(checksumKey);
        // Canonicalising reads every string; one that is not Unicode cannot be what ClickPesa signed.
        if (payload.ValueKind != JsonValueKind.Object || !JsonText.IsUnicode(payload))
        {
            return false;
        }

        var key = Encoding.UTF8.GetBytes(checksumKey);
        if (payload.TryGetProperty("checksum", out var top))
        {
            return top.ValueKind == JsonValueKind.String && Hmac.VerifyHex(key, Encoding.UTF8.GetBytes(Canonicalize(payload)), top.GetString());
        }

        if (payload.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("checksum", out var inner) && inner.ValueKind == JsonValueKind.String)
        {
            var tag = inner.GetString();
            // Both candidates are always computed, so timing does not tell which one matched.
            var whole = Hmac.VerifyHex(key, Encoding.UTF8.GetBytes(Canonicalize(payload, nestedToo: true)), tag);
            var dataOnly = Hmac.VerifyHex(key, Encoding.UTF8.GetBytes(Canonicalize(data)), tag);
            return whole | dataOnly;
        }

        return false;
    }

    /// <summary>The compact, key-sorted JSON text the checksum is computed over.</summary>
    public static string Canonicalize(JsonElement payload, bool nestedToo = false)
    {
        var text = new StringBuilder();
        Write(text, payload, depth: 0, nestedToo);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonElement value, int depth, bool nestedToo)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                var drop = depth == 0 || (nestedToo && depth == 1);
                foreach (var property in value.EnumerateObject().Where(p => !drop || !Excluded.Contains(p.Name)).OrderBy(p => p.Name, JavaScriptKeyOrder.Instance))
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    first = false;
                    WriteString(text, property.Name);
                    text.Append(':');
                    Write(text, property.Value, depth + 1, nestedToo);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        text.Append(',');
                    }

                    Write(text, item, depth + 1, nestedToo: false);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(text, value.GetString()!);
                break;
            case JsonValueKind.Number:
                text.Append(Number(value.GetRawText()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static string Number(string raw)
    {
        var dot = raw.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || raw.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            return raw;
        }

        var trimmed = raw.TrimEnd('0');
        return trimmed.EndsWith('.') ? trimmed[..^1] : trimmed;
    }

    // JSON.stringify: \" \\ \b \f \n \r \t, other controls as \u00xx, lone surrogates as \udxxx, the rest as is.
    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                default:
                    var pairedHigh = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
                    var pairedLow = char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(value[i - 1]);
                    if (c < ' ' || (char.IsSurrogate(c) && !pairedHigh && !pairedLow))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    /// <summary>The order JavaScript gives an object's keys once sorted: array-index keys numerically first, then by UTF-16 code units.</summary>
    private sealed class JavaScriptKeyOrder : IComparer<string>
    {
        public static readonly JavaScriptKeyOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var xIndex = ArrayIndex(x);
            var yIndex = ArrayIndex(y);
            return (xIndex, yIndex) switch
            {
                ({ } a, { } b) => a.CompareTo(b),
                ({ }, null) => -1,
                (null, { }) => 1,
                _ => string.CompareOrdinal(x, y),
            };
        }

        private static uint? ArrayIndex(string? key) =>
            key is { Length: > 0 and <= 10 } && (key == "0" || key[0] != '0') && key.All(char.IsAsciiDigit)
            && uint.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < uint.MaxValue
                ? index
                : null;
    }
}
