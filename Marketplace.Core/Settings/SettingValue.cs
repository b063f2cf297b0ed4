using System.ComponentModel;
using System.Globalization;

namespace Marketplace.Core.Settings;

/// <summary>A value type a setting can hold (<see cref="Credits"/>, <see cref="Percent"/>), parsed by its own rules.</summary>
public interface ISettingValue<TSelf>
    where TSelf : ISettingValue<TSelf>
{
    /// <summary>What a valid value looks like, for the message when one is not: "an amount of credits such as 1000.00".</summary>
    static abstract string Expected { get; }

    static abstract bool TryParseSetting(string text, out TSelf value);
}

/// <summary>What the configuration binder converts a <see cref="ISettingValue{TSelf}"/> with (named by <c>[TypeConverter]</c> on the type).</summary>
public sealed class SettingValueConverter<T> : TypeConverter, IExpectedSetting
    where T : ISettingValue<T>
{
    public string Expected => T.Expected;

    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? T.TryParseSetting(text, out var parsed) ? parsed : throw new FormatException($"Expected {T.Expected}.")
            : base.ConvertFrom(context, culture, value);
}

/// <summary>A converter that can say what it accepts.</summary>
public interface IExpectedSetting
{
    string Expected { get; }
}
