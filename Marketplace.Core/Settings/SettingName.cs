namespace Marketplace.Core.Settings;

/// <summary>The one place a configuration key becomes the name an operator sets: <c>Payments:ExpireAfter</c> → <c>Payments__ExpireAfter</c>.</summary>
public static class SettingName
{
    public static string Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Replace(":", "__", StringComparison.Ordinal);
    }
}
