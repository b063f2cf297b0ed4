using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.Core.Settings;

public static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// The one registration of a settings class: bound by <see cref="SettingsBinder"/>, checked by its
    /// <see cref="ISettings{TSelf}.Validate"/> through <see cref="SettingsValidator{TSettings}"/>, validated on start,
    /// and injectable as itself. Registering it twice changes nothing.
    /// </summary>
    public static IServiceCollection AddSettings<TSettings>(this IServiceCollection services)
        where TSettings : class, ISettings<TSettings>, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TSettings>) && d.ImplementationType == typeof(SettingsValidator<TSettings>)))
        {
            return services;
        }

        services.AddOptions<TSettings>()
            .Configure<IConfiguration, IHostEnvironment>((settings, configuration, environment) => SettingsBinder.Bind(settings, configuration, environment))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TSettings>, SettingsValidator<TSettings>>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TSettings>>().Value);
        return services;
    }
}

/// <summary>The one validator: runs the settings class's own checks, with the environment and the other settings at hand.</summary>
public sealed class SettingsValidator<TSettings>(IHostEnvironment environment, IServiceProvider services) : IValidateOptions<TSettings>
    where TSettings : class, ISettings<TSettings>, new()
{
    public ValidateOptionsResult Validate(string? name, TSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var check = new SettingChecks(typeof(TSettings), TSettings.Section, environment, new ContainerSettings(services));
        options.Validate(check);
        return check.Failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(SettingChecks.Message(check.Failures));
    }
}
