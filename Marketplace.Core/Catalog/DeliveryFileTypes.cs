using System.Globalization;
using System.Text;

namespace Marketplace.Core.Catalog;

/// <summary>A type a delivery file may be recorded as: its content type, what people call it, and how its bytes begin.</summary>
public sealed record DeliveryFileType(string ContentType, string Description, DeliveryFileTypes.Signature Signature);

/// <summary>
/// Which content type an uploaded file is recorded with. The type the uploader's browser claims is never used: a name
/// whose extension we know must hold bytes of that type (a "logo.png" that is really a PDF is refused), and any other
/// name is recorded as <c>application/octet-stream</c>. Downloads are always attachments, so nothing uploaded is ever
/// rendered by the site itself.
/// </summary>
public static class DeliveryFileTypes
{
    public const string OctetStream = "application/octet-stream";

    /// <summary>How many leading bytes <see cref="Matches"/> needs to see.</summary>
    public const int HeadLength = 512;

    public const int MaxNameLength = 120;

    /// <summary>What the bytes must look like: a binary signature, or UTF-8 text (<see cref="Svg"/>: text that is an SVG image).</summary>
    public enum Signature
    {
        Pdf,
        Zip,
        Epub,
        Png,
        Jpeg,
        Gif,
        Webp,
        Wav,
        Mp3,
        Ogg,
        Flac,
        Mp4,
        Woff,
        Woff2,
        Otf,
        Ttf,
        Text,
        Svg,
    }

    private static readonly Dictionary<string, DeliveryFileType> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = new("application/pdf", "a PDF document", Signature.Pdf),
        [".zip"] = new("application/zip", "a ZIP archive", Signature.Zip),
        [".epub"] = new("application/epub+zip", "an EPUB book", Signature.Epub),
        [".png"] = new("image/png", "a PNG image", Signature.Png),
        [".jpg"] = new("image/jpeg", "a JPEG image", Signature.Jpeg),
        [".jpeg"] = new("image/jpeg", "a JPEG image", Signature.Jpeg),
        [".gif"] = new("image/gif", "a GIF image", Signature.Gif),
        [".webp"] = new("image/webp", "a WebP image", Signature.Webp),
        [".svg"] = new("image/svg+xml", "an SVG image", Signature.Svg),
        [".wav"] = new("audio/wav", "a WAV recording", Signature.Wav),
        [".mp3"] = new("audio/mpeg", "an MP3 recording", Signature.Mp3),
        [".ogg"] = new("audio/ogg", "an Ogg recording", Signature.Ogg),
        [".flac"] = new("audio/flac", "a FLAC recording", Signature.Flac),
        [".mp4"] = new("video/mp4", "an MP4 video", Signature.Mp4),
        [".woff"] = new("font/woff", "a WOFF font", Signature.Woff),
        [".woff2"] = new("font/woff2", "a WOFF2 font", Signature.Woff2),
        [".otf"] = new("font/otf", "an OpenType font", Signature.Otf),
        [".ttf"] = new("font/ttf", "a TrueType font", Signature.Ttf),
        [".txt"] = new("text/plain; charset=utf-8", "UTF-8 text", Signature.Text),
        [".md"] = new("text/markdown; charset=utf-8", "UTF-8 text", Signature.Text),
        [".csv"] = new("text/csv; charset=utf-8", "UTF-8 text", Signature.Text),
    };

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The type a file of this (sanitised) name must be, or null when its extension is not one we know.</summary>
    public static DeliveryFileType? ForName(string name) =>
        ByExtension.GetValueOrDefault(Path.GetExtension(name));

    /// <summary>
    /// Whether <paramref name="head"/> (the file's first <see cref="HeadLength"/> bytes, or all of a shorter file) begins
    /// as <paramref name="signature"/> says. For the text signatures the caller also checks that the whole file is UTF-8.
    /// </summary>
    public static bool Matches(Signature signature, ReadOnlySpan<byte> head) => signature switch
    {
        Signature.Pdf => head.StartsWith("%PDF-"u8),
        Signature.Zip => head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8),
        // EPUB (OCF): a ZIP whose first entry is the uncompressed "mimetype" file naming the type.
        Signature.Epub => head.StartsWith("PK\x03\x04"u8) && head.Length >= 58 && head[30..58].SequenceEqual("mimetypeapplication/epub+zip"u8),
        Signature.Png => head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        Signature.Jpeg => head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
        Signature.Gif => head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8),
        Signature.Webp => head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8),
        Signature.Wav => head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8),
        // An ID3 tag, or straight into an MPEG audio frame (11 sync bits).
        Signature.Mp3 => head.StartsWith("ID3"u8) || (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0),
        Signature.Ogg => head.StartsWith("OggS"u8),
        Signature.Flac => head.StartsWith("fLaC"u8),
        Signature.Mp4 => head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8),
        Signature.Woff => head.StartsWith("wOFF"u8),
        Signature.Woff2 => head.StartsWith("wOF2"u8),
        Signature.Otf => head.StartsWith("OTTO"u8),
        Signature.Ttf => head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x01, 0x00, 0x00]) || head.StartsWith("true"u8),
        Signature.Text => true,
        Signature.Svg => Encoding.UTF8.GetString(head).Contains("<svg", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>What the bytes look like, for a refusal's message: the first known type they match, or null.</summary>
    public static DeliveryFileType? Describe(ReadOnlySpan<byte> head)
    {
        foreach (var type in ByExtension.Values)
        {
            if (type.Signature is not (Signature.Text or Signature.Svg or Signature.Zip) && Matches(type.Signature, head))
            {
                return type;
            }
        }

        return Matches(Signature.Zip, head) ? ByExtension[".zip"] : null;
    }

    /// <summary>
    /// The name a file is downloaded as, made from the one its uploader sent: only its last path segment, without
    /// control, format (bidirectional overrides) or separator characters, without characters file systems refuse,
    /// at most <see cref="MaxNameLength"/> characters (the extension kept), never empty, "." or a reserved device name.
    /// Null when nothing usable is left.
    /// </summary>
    public static string? SafeName(string? uploaded)
    {
        if (string.IsNullOrWhiteSpace(uploaded))
        {
            return null;
        }

        var last = uploaded.Replace('\\', '/').Split('/')[^1];
        var builder = new StringBuilder(last.Length);
        foreach (var rune in last.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            builder.Append(rune.Value is '"' or '*' or ':' or '<' or '>' or '?' or '|' ? "_" : Rune.IsWhiteSpace(rune) ? " " : rune.ToString());
        }

        var name = string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim('.', ' ');
        if (name.Length == 0)
        {
            return null;
        }

        if (name.Length > MaxNameLength)
        {
            var extension = Path.GetExtension(name);
            extension = extension.Length is > 1 and <= 10 ? extension : string.Empty;
            name = Truncate(name[..^extension.Length], MaxNameLength - extension.Length).TrimEnd('.', ' ') + extension;
        }

        var stem = name.Split('.')[0];
        return ReservedNames.Contains(stem) ? "_" + name : name;
    }

    // Never cuts a surrogate pair in half.
    private static string Truncate(string text, int length) =>
        text.Length <= length ? text : char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
}
