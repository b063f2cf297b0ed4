using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Marketplace.Core.Text;

public enum JsonTextCheck
{
    Valid,

    /// <summary>Not JSON at all (syntax, depth, empty).</summary>
    Malformed,

    /// <summary>JSON, but a string or property name is not Unicode: bytes that are not UTF-8, or an unpaired surrogate escape.</summary>
    NotUnicode,
}

/// <summary>
/// System.Text.Json reads a document without looking inside its strings, and throws only when one is unescaped
/// (<c>GetString</c>, property names). Text from outside (request bodies, webhooks, signed intents) is checked here
/// once, before anything reads it, so "not Unicode" is an answer rather than an exception somewhere later.
/// </summary>
public static class JsonText
{
    public const int MaxDepth = 64;

    public static JsonTextCheck Check(ReadOnlySpan<byte> utf8Json, int maxDepth = MaxDepth)
    {
        if (utf8Json.IsEmpty)
        {
            return JsonTextCheck.Malformed;
        }

        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !IsUnicode(reader.ValueSpan, reader.ValueIsEscaped))
                {
                    return JsonTextCheck.NotUnicode;
                }
            }
        }
        catch (JsonException)
        {
            // The reader has no Try form: its exception is how it says "not JSON".
            return JsonTextCheck.Malformed;
        }

        return JsonTextCheck.Valid;
    }

    /// <summary>For text already in a .NET string (an intent inside a JSON body): lone surrogate chars fail before the JSON is read.</summary>
    public static JsonTextCheck Check(string json, int maxDepth = MaxDepth)
    {
        ArgumentNullException.ThrowIfNull(json);
        return !IsUnicode(json) ? JsonTextCheck.NotUnicode : Check(Encoding.UTF8.GetBytes(json), maxDepth);
    }

    /// <summary>An element parsed without a check (JsonDocument keeps the raw bytes): true when every string in it is Unicode.</summary>
    public static bool IsUnicode(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined || Check(JsonMarshal.GetRawUtf8Value(element)) == JsonTextCheck.Valid;

    /// <summary>True when <paramref name="text"/> has no unpaired surrogate.</summary>
    public static bool IsUnicode(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            text = text[consumed..];
        }

        return true;
    }

    // Between escapes the bytes must be UTF-8; a \uD800–\uDBFF escape must be followed at once by a \uDC00–\uDFFF one.
    private static bool IsUnicode(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped)
        {
            return Utf8.IsValid(raw);
        }

        var awaitingLow = false;
        while (!raw.IsEmpty)
        {
            if (raw[0] != (byte)'\\')
            {
                var run = raw.IndexOf((byte)'\\');
                var text = run < 0 ? raw : raw[..run];
                if (awaitingLow || !Utf8.IsValid(text))
                {
                    return false;
                }

                raw = raw[text.Length..];
                continue;
            }

            // The reader has already checked escape syntax: a backslash is followed by one letter, or by u and four hex digits.
            if (raw[1] != (byte)'u')
            {
                if (awaitingLow)
                {
                    return false;
                }

                raw = raw[2..];
                continue;
            }

            var unit = Hex(raw.Slice(2, 4));
            raw = raw[6..];
            if (awaitingLow)
            {
                if (unit is < 0xDC00 or > 0xDFFF)
                {
                    return false;
                }

                awaitingLow = false;
            }
            else if (unit is >= 0xD800 and <= 0xDBFF)
            {
                awaitingLow = true;
            }
            else if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return false;
            }
        }

        return !awaitingLow;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits)
        {
            value = (value << 4) | d switch
            {
                >= (byte)'0' and <= (byte)'9' => d - '0',
                >= (byte)'a' and <= (byte)'f' => d - 'a' + 10,
                _ => d - 'A' + 10,
            };
        }

        return value;
    }
}
