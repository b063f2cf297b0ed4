using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>One captured log line: its text, its structured values, and the values of every scope around it.</summary>
public sealed record CapturedLine(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, string?> Values, IReadOnlyDictionary<string, string?> Scopes)
{
    /// <summary>Everything a log sink could write for this line.</summary>
    public string AllText => string.Join(" ", [Message, .. Values.Values, .. Scopes.Values]);
}

/// <summary>Keeps every line the app logs, with its scopes, the way a real sink with IncludeScopes would see them.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLine> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static void AddValues(object? state, Dictionary<string, string?> into)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                into[key] = value?.ToString();
            }
        }
        else if (state is not null)
        {
            into[$"scope{into.Count}"] = state.ToString();
        }
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, string?>();
            AddValues(state, values);
            var scopes = new Dictionary<string, string?>();
            owner._scopes.ForEachScope((scope, into) => AddValues(scope, into), scopes);
            var message = formatter(state, exception) + (exception is null ? string.Empty : " " + exception);
            owner._lines.Enqueue(new CapturedLine(category, logLevel, message, values, scopes));
        }
    }
}
