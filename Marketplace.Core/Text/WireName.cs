using System.Collections.Frozen;
using System.Text.Json;

namespace Marketplace.Core.Text;

/// <summary>
/// The one way an enum value becomes a name outside the process — JSON fields and query strings, receipts, CSV,
/// problem codes, audit details, stored findings: snake_case, as the JSON API names its properties
/// (<c>AwaitingDelivery</c> is <c>awaiting_delivery</c>, <c>TopUp</c> is <c>top_up</c>). What people read on a page is
/// a label, not this.
/// </summary>
public static class WireName
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Names<TEnum>.ByValue.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} is not a named {typeof(TEnum).Name}.");

    /// <summary>
    /// Only a value's wire name (never a number, never "a, b" flags); <paramref name="ignoreCase"/> for inputs that
    /// have always been read that way (a catalog filter's <c>kind=Digital</c>).
    /// </summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value, bool ignoreCase = false)
        where TEnum : struct, Enum
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        return (ignoreCase ? Names<TEnum>.ByNameIgnoringCase : Names<TEnum>.ByName).TryGetValue(text, out value);
    }

    /// <summary>Every value's wire name, in declaration order (for messages that list what is allowed).</summary>
    public static IReadOnlyList<string> All<TEnum>()
        where TEnum : struct, Enum =>
        Names<TEnum>.InOrder;

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue =
            Enum.GetValues<TEnum>().Distinct().ToFrozenDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static readonly FrozenDictionary<string, TEnum> ByName = ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

        public static readonly FrozenDictionary<string, TEnum> ByNameIgnoringCase = ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

        public static readonly IReadOnlyList<string> InOrder = Enum.GetValues<TEnum>().Distinct().Select(v => ByValue[v]).ToList();
    }
}
