using System.ComponentModel;
using Marketplace.Core.Settings;

namespace Marketplace.Core;

/// <summary>A percentage from 0 to 100 with at most two decimals ("10", "12.5"), held as basis points (10 % = 1000).</summary>
[TypeConverter(typeof(SettingValueConverter<Percent>))]
public readonly record struct Percent(int BasisPoints) : ISettingValue<Percent>
{
    public static string Expected => "a percentage from 0 to 100 such as 10";

    public static bool TryParse(string? text, out Percent percent)
    {
        var ok = DecimalString.TryParseUnits(text, 2, out var basisPoints) == AmountParse.Ok && basisPoints <= 10_000;
        percent = ok ? new Percent((int)basisPoints) : default;
        return ok;
    }

    static bool ISettingValue<Percent>.TryParseSetting(string text, out Percent value) => TryParse(text, out value);

    public override string ToString() => DecimalString.Format(BasisPoints, 2).TrimEnd('0').TrimEnd('.') + " %";
}
