using System.Globalization;
using System.Text;
using Marketplace.Core.Text;

namespace Marketplace.Core.Identity;

/// <summary>
/// The one rule for a display name, which other people see next to money (sellers, transfer recipients): 1 to 80
/// characters once trimmed, valid Unicode, and none of the invisible characters that change how text around it
/// reads: control characters, line and paragraph separators, and the bidirectional overrides, embeddings, isolates
/// and marks (a lone U+202E turns "Ann‮ 001 CM" into something else on screen).
/// </summary>
public static class DisplayNames
{
    public const int MaxLength = User.MaxDisplayNameLength;

    /// <summary>The trimmed name, or null with <paramref name="problem"/> saying why not.</summary>
    public static string? Normalize(string? input, out string problem)
    {
        problem = string.Empty;
        var name = input?.Trim() ?? string.Empty;
        if (!JsonText.IsUnicode(name))
        {
            problem = "Display name must be valid Unicode text.";
            return null;
        }

        var length = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            length++;
            if (IsForbidden(rune))
            {
                problem = $"Display name cannot contain control or text-direction characters (U+{rune.Value:X4}).";
                return null;
            }
        }

        if (length is 0 or > MaxLength)
        {
            problem = $"Display name must be 1 to {MaxLength} characters.";
            return null;
        }

        return name;
    }

    private static bool IsForbidden(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || rune.Value is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);
}
