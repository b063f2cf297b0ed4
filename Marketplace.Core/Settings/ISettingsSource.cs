using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marketplace.Core.Settings;

/// <summary>Other settings a validation depends on (packages are checked against the money limit).</summary>
public interface ISettingsSource
{
    TSettings Read<TSettings>()
        where TSettings : class, ISettings<TSettings>, new();
}

/// <summary>Settings as the container holds them: bound and validated on first use.</summary>
internal sealed class ContainerSettings(IServiceProvider services) : ISettingsSource
{
    public TSettings Read<TSettings>()
        where TSettings : class, ISettings<TSettings>, new() => services.GetRequiredService<IOptions<TSettings>>().Value;
}
