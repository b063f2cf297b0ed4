using Microsoft.Extensions.Hosting;

namespace Marketplace.Core.Settings;

/// <summary>
/// An options class: one per area, in the folder of what it configures. Its public settable properties are bound from
/// configuration by <see cref="SettingsBinder"/> (<c>[ConfigurationKeyName]</c> for top-level names such as
/// <c>STRIPE_SECRET_KEY</c>), then <see cref="Validate"/> checks them. Registered with
/// <see cref="SettingsServiceCollectionExtensions.AddSettings{TSettings}"/> and validated at start; the few needed while
/// services are still being registered are read earlier through <see cref="StartupSettings"/>, the same way.
/// </summary>
public interface ISettings<TSelf>
    where TSelf : class, ISettings<TSelf>, new()
{
    /// <summary>The configuration section the properties are read from; empty for top-level names.</summary>
    static abstract string Section { get; }

    /// <summary>Settings that are no longer read: still set, they stop the start with the reason.</summary>
    static virtual IReadOnlyList<RemovedSetting> Removed => [];

    /// <summary>Defaults that depend on the environment, applied before the configuration is bound over them.</summary>
    void ApplyDefaults(IHostEnvironment environment)
    {
    }

    /// <summary>
    /// Reports every value that is present but wrong, or missing where another requires it. What binding could not type
    /// (an amount in a currency named by its key) is parsed here, and kept when it is valid.
    /// </summary>
    void Validate(SettingChecks check);
}

/// <param name="Key">The configuration key, with ':' (<c>Webhooks:SweepInterval</c>).</param>
/// <param name="Why">Why it went and what to do instead, e.g. "set 'Webhooks__SweepCron' … instead".</param>
public sealed record RemovedSetting(string Key, string Why);
