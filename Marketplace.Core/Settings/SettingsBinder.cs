using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Core.Settings;

/// <summary>
/// Binds a settings class with the framework's configuration binder, after reading what it will bind so that a problem
/// is reported the way every setting's is, naming the environment variable: a blank value is unset (the default
/// stays), a value the binder could not convert ("abc" for a time span) is invalid, a key inside a setting's entry that
/// names nothing (<c>Packages__0__Bonus</c>) is refused, and a removed setting still set says what replaced it.
/// </summary>
public static class SettingsBinder
{
    public static void Bind<TSettings>(TSettings settings, IConfiguration configuration, IHostEnvironment environment)
        where TSettings : class, ISettings<TSettings>, new()
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        settings.ApplyDefaults(environment);

        var reading = new Reading();
        foreach (var removed in TSettings.Removed)
        {
            if (!string.IsNullOrWhiteSpace(configuration[removed.Key]))
            {
                reading.Problems.Add($"Configuration '{SettingName.Of(removed.Key)}' is no longer read: {removed.Why}");
            }
        }

        var section = TSettings.Section.Length == 0 ? configuration : configuration.GetSection(TSettings.Section);
        reading.Object(typeof(TSettings), section, isEntry: false);
        if (reading.Problems.Count > 0)
        {
            throw SettingChecks.Failed(typeof(TSettings), reading.Problems);
        }

        // Only what was read, trimmed: the binder sees no blank value and nothing it cannot convert.
        var read = new ConfigurationBuilder().AddInMemoryCollection(reading.Values).Build();
        IConfiguration bound = TSettings.Section.Length == 0 ? read : read.GetSection(TSettings.Section);
        bound.Bind(settings);
    }

    /// <summary>What a value of <paramref name="type"/> looks like, for the message when one does not convert.</summary>
    public static string Expected(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (TypeDescriptor.GetConverter(type) is IExpectedSetting setting)
        {
            return setting.Expected;
        }

        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(TimeSpan) => "a time span such as 00:05:00",
            _ when type == typeof(Uri) => "a URL such as https://shop.example.com",
            _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ => $"a {type.Name}",
        };
    }

    private sealed class Reading
    {
        public Dictionary<string, string?> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Problems { get; } = [];

        /// <summary>The settable properties of <paramref name="type"/>; in an entry (a package), a key that names none is a mistake.</summary>
        public void Object(Type type, IConfiguration section, bool isEntry)
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                .ToList();
            foreach (var property in properties)
            {
                Value(property.PropertyType, section.GetSection(SettingChecks.KeyOf(property)), verbatim: property.IsDefined(typeof(VerbatimAttribute)));
            }

            if (!isEntry)
            {
                return;
            }

            var keys = properties.Select(SettingChecks.KeyOf).ToList();
            foreach (var unknown in section.GetChildren().Where(c => !keys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
            {
                Problems.Add($"Configuration '{SettingName.Of(unknown.Path)}' is not accepted: it names no setting here; {string.Join(", ", keys)} do.");
            }
        }

        private void Value(Type type, IConfigurationSection section, bool verbatim)
        {
            if (IsScalar(type))
            {
                if (!string.IsNullOrWhiteSpace(section.Value))
                {
                    Scalar(type, section.Path, verbatim ? section.Value : section.Value.Trim());
                }

                return;
            }

            if (EntryType(type) is not { } entryType)
            {
                Object(type, section, isEntry: true);
                return;
            }

            foreach (var entry in section.GetChildren())
            {
                if (!IsScalar(entryType))
                {
                    Object(entryType, entry, isEntry: true);
                }
                else if (entryType == typeof(string))
                {
                    // A blank entry is still an entry (a price left empty): its settings class says whether that is valid.
                    Values[entry.Path] = entry.Value?.Trim() ?? string.Empty;
                }
                else
                {
                    Scalar(entryType, entry.Path, entry.Value?.Trim() ?? string.Empty);
                }
            }
        }

        private void Scalar(Type type, string path, string text)
        {
            if (Converts(type, text))
            {
                Values[path] = text;
            }
            else
            {
                Problems.Add($"Configuration '{SettingName.Of(path)}' is set but invalid: expected {Expected(type)}.");
            }
        }

        private static bool IsScalar(Type type) =>
            type == typeof(string) || TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type).CanConvertFrom(typeof(string));

        /// <summary>The value type of a dictionary keyed by text (prices by currency, packages by number), or null.</summary>
        private static Type? EntryType(Type type) =>
            type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string)
                ? type.GetGenericArguments()[1]
                : null;

        private static bool Converts(Type type, string text)
        {
            if (type == typeof(string))
            {
                return true;
            }

            try
            {
                return TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type).ConvertFromInvariantString(text) is not null;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or NotSupportedException)
            {
                return false;
            }
        }
    }
}

/// <summary>A setting whose value is taken exactly as given, spaces included (a password).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class VerbatimAttribute : Attribute;
