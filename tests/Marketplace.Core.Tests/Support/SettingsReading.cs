using Marketplace.Core.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Core.Tests.Support;

/// <summary>Reads settings from the given values as the app's start would (bound, then validated), outside Development.</summary>
public static class SettingsReading
{
    public static TSettings Read<TSettings>(Dictionary<string, string?> values)
        where TSettings : class, ISettings<TSettings>, new() =>
        new StartupSettings(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), new Production()).Read<TSettings>();

    private sealed class Production : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "Marketplace.Core.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
