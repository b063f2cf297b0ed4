using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core;

/// <summary>
/// Reads optional settings: missing or blank means the default; present but unparsable stops the start with an
/// exception naming the setting as an environment variable would spell it.
/// </summary>
public static class ConfigurationValues
{
    public static string? Text(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static bool Bool(IConfiguration configuration, string key, bool fallback) =>
        Text(configuration, key) is not { } text ? fallback
        : bool.TryParse(text, out var value) ? value
        : throw Invalid(key, "true or false");

    public static int PositiveInt(IConfiguration configuration, string key, int fallback, int max = int.MaxValue) =>
        Text(configuration, key) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= max ? value
        : throw Invalid(key, $"a whole number from 1 to {max.ToString(CultureInfo.InvariantCulture)}");

    public static TimeSpan PositiveTimeSpan(IConfiguration configuration, string key, TimeSpan fallback) =>
        Text(configuration, key) is not { } text ? fallback
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero ? value
        : throw Invalid(key, "a positive time span such as 00:01:00");

    /// <summary>An absolute http(s) URL without query or fragment, e.g. an API base.</summary>
    public static Uri? HttpUrl(IConfiguration configuration, string key) =>
        Text(configuration, key) is not { } text ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) ? uri
        : throw Invalid(key, "an absolute http(s) URL such as https://api.example.com");

    public static InvalidOperationException Invalid(string key, string expected)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new InvalidOperationException($"Configuration '{key.Replace(":", "__", StringComparison.Ordinal)}' is set but invalid: expected {expected}.");
    }
}
