namespace Marketplace.Core;

/// <summary>An amount of marketplace credits (MC) in minor units: 1 MC = 100 units.</summary>
public readonly record struct Credits(long Units) : IComparable<Credits>
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
