using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.Core.Settings;

/// <summary>
/// What a settings class's <see cref="ISettings{TSelf}.Validate"/> reports. Every message names the setting as an
/// environment variable would spell it (<see cref="SettingName"/>): "Configuration 'Payments__ExpireAfter' is set but
/// invalid: expected …".
/// </summary>
public sealed class SettingChecks
{
    private readonly Type _settingsType;
    private readonly string _section;
    private readonly ISettingsSource _source;
    private readonly List<string> _failures = [];

    internal SettingChecks(Type settingsType, string section, IHostEnvironment environment, ISettingsSource source)
    {
        _settingsType = settingsType;
        _section = section;
        Environment = environment;
        _source = source;
    }

    public IHostEnvironment Environment { get; }

    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Settings of another area, validated first.</summary>
    public TSettings Read<TSettings>()
        where TSettings : class, ISettings<TSettings>, new() => _source.Read<TSettings>();

    /// <summary>The configuration key of a property of the settings class: its <c>[ConfigurationKeyName]</c> or its name, under the section.</summary>
    public string Key(string property) => KeyOf(_settingsType, _section, property);

    public void Invalid(string key, string expected) => Fail(key, $"is set but invalid: expected {expected}.");

    public void Missing(string key, string why) => Fail(key, $"is missing: {why}.");

    public void NotAccepted(string key, string why) => Fail(key, $"is not accepted: {why}.");

    /// <param name="what">The rest of the sentence after "Configuration '&lt;name&gt;'".</param>
    public void Fail(string key, string what) => _failures.Add($"Configuration '{SettingName.Of(key)}' {what}");

    public void WholeNumber(string property, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Invalid(Key(property), string.Create(CultureInfo.InvariantCulture, $"a whole number from {min} to {max}"));
        }
    }

    public void PositiveTimeSpan(string property, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            Invalid(Key(property), "a positive time span such as 00:01:00");
        }
    }

    /// <summary>An absolute http(s) URL without query or fragment, such as an API base; null (unset) passes.</summary>
    public void HttpUrl(string property, Uri? value)
    {
        if (value is not null && !(value.IsAbsoluteUri && (value.Scheme == Uri.UriSchemeHttps || value.Scheme == Uri.UriSchemeHttp) && value.Query.Length == 0 && value.Fragment.Length == 0))
        {
            Invalid(Key(property), "an absolute http(s) URL such as https://api.example.com");
        }
    }

    internal void ThrowIfFailed(Type settingsType)
    {
        if (_failures.Count > 0)
        {
            throw Failed(settingsType, _failures);
        }
    }

    /// <summary>All problems of one settings class as one message of whole sentences, as the options framework shows it.</summary>
    internal static string Message(IEnumerable<string> failures) => string.Join(" ", failures);

    internal static OptionsValidationException Failed(Type settingsType, IEnumerable<string> failures) =>
        new(Options.DefaultName, settingsType, [Message(failures)]);

    internal static string KeyOf(Type settingsType, string section, string property)
    {
        var info = settingsType.GetProperty(property) ?? throw new ArgumentException($"{settingsType.Name} has no property {property}.", nameof(property));
        return Join(section, KeyOf(info));
    }

    internal static string KeyOf(PropertyInfo property) => property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    internal static string Join(string section, string key) => section.Length == 0 ? key : $"{section}:{key}";
}
