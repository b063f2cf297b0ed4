using System.ComponentModel;
using Marketplace.Core.Settings;

namespace Marketplace.Core;

/// <summary>An amount of marketplace credits (MC) in minor units: 1 MC = 100 units.</summary>
[TypeConverter(typeof(SettingValueConverter<Credits>))]
public readonly record struct Credits(long Units) : IComparable<Credits>, ISettingValue<Credits>
{
    public const string Code = "MC";

    public static Credits Zero => default;

    public static Credits FromWhole(long credits) => new(checked(credits * 100));

    public static AmountParse TryParse(string? text, out Credits credits)
    {
        var result = DecimalString.TryParseUnits(text, Currency.Credits.Decimals, out var units);
        credits = new Credits(units);
        return result;
    }

    static string ISettingValue<Credits>.Expected => "an amount of credits such as 1000.00";

    /// <summary>A setting holds credits as a decimal string, by the same rules as the API's amounts.</summary>
    static bool ISettingValue<Credits>.TryParseSetting(string text, out Credits value) => TryParse(text, out value) == AmountParse.Ok;

    public static Credits operator +(Credits left, Credits right) => new(checked(left.Units + right.Units));

    public static Credits operator -(Credits left, Credits right) => new(checked(left.Units - right.Units));

    public static Credits operator -(Credits value) => new(checked(-value.Units));

    public static bool operator <(Credits left, Credits right) => left.Units < right.Units;

    public static bool operator >(Credits left, Credits right) => left.Units > right.Units;

    public static bool operator <=(Credits left, Credits right) => left.Units <= right.Units;

    public static bool operator >=(Credits left, Credits right) => left.Units >= right.Units;

    public int CompareTo(Credits other) => Units.CompareTo(other.Units);

    /// <summary>The wire form: "1234.50".</summary>
    public string ToDecimalString() => DecimalString.Format(Units, 2);

    /// <summary>The display form: "1,234.50 MC".</summary>
    public string ToDisplayString() => $"{DecimalString.Format(Units, 2, grouping: true)} {Code}";

    public override string ToString() => ToDisplayString();
}
