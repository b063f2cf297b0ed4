using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Hangfire keeps one log provider for the whole process, while each app has its own <see cref="ILoggerFactory"/>,
/// which throws once the app is disposed. With several apps in one process (the integration tests), Hangfire could
/// ask a stopped app's factory for a logger; this forwards to the newest app's factory and falls back to no logging.
/// </summary>
public sealed class HangfireLogging : ILoggerFactory
{
    private static readonly HangfireLogging Current = new();
    private static readonly ILogProvider LogProvider = new AspNetCoreLogProvider(Current);

    private volatile ILoggerFactory? _factory;

    private HangfireLogging()
    {
    }

    /// <summary>Hangfire's process-wide log provider, now writing to <paramref name="factory"/>.</summary>
    public static ILogProvider Provider(ILoggerFactory factory)
    {
        Current._factory = factory;
        return LogProvider;
    }

    public ILogger CreateLogger(string categoryName)
    {
        try
        {
            return _factory?.CreateLogger(categoryName) ?? NullLogger.Instance;
        }
        catch (ObjectDisposedException)
        {
            return NullLogger.Instance;
        }
    }

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Add logging providers to the app's own logging builder.");

    public void Dispose()
    {
        // Process-wide and shared by every app: nothing to release.
    }
}
