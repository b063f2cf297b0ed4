using Marketplace.Core.Settings;

namespace Marketplace.Web.Hosting;

/// <summary>How the process runs: its shutdown budget and its log format (<c>Hosting__…</c>, <c>Logging__Format</c>).</summary>
public sealed class HostingOptions : ISettings<HostingOptions>
{
    public static string Section => string.Empty;

    /// <summary>How long a stop (SIGTERM) waits for in-flight requests and the running job.</summary>
    [ConfigurationKeyName("Hosting:ShutdownTimeout")]
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Console log lines as JSON objects, or readable text; JSON outside Development unless set.</summary>
    [ConfigurationKeyName("Logging:Format")]
    public LogFormat LogFormat { get; set; }

    public void ApplyDefaults(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        LogFormat = environment.IsDevelopment() ? LogFormat.Simple : LogFormat.Json;
    }

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.PositiveTimeSpan(nameof(ShutdownTimeout), ShutdownTimeout);
        if (!Enum.IsDefined(LogFormat))
        {
            check.Invalid(check.Key(nameof(LogFormat)), "json or simple");
        }
    }
}

public enum LogFormat
{
    Json = 1,
    Simple,
}
