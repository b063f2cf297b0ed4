using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Core.Settings;

/// <summary>
/// Settings needed while services are still being registered: which gateways exist, the database and where its files
/// live, the log format. Bound and validated exactly as at start (<see cref="SettingsBinder"/>, the class's own
/// Validate), only earlier; a bad value stops the start here with the same message. Everything else waits for the
/// container (<see cref="SettingsServiceCollectionExtensions.AddSettings{TSettings}"/>).
/// </summary>
public sealed class StartupSettings(IConfiguration configuration, IHostEnvironment environment) : ISettingsSource
{
    private readonly Dictionary<Type, object> _read = [];

    public IHostEnvironment Environment => environment;

    public TSettings Read<TSettings>()
        where TSettings : class, ISettings<TSettings>, new()
    {
        if (_read.TryGetValue(typeof(TSettings), out var known))
        {
            return (TSettings)known;
        }

        var settings = new TSettings();
        SettingsBinder.Bind(settings, configuration, environment);
        var check = new SettingChecks(typeof(TSettings), TSettings.Section, environment, this);
        settings.Validate(check);
        check.ThrowIfFailed(typeof(TSettings));
        _read[typeof(TSettings)] = settings;
        return settings;
    }
}
