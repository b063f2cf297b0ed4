using System.Diagnostics;
using Marketplace.Core.Settings;
using Microsoft.Extensions.Logging.Console;

namespace Marketplace.Web.Hosting;

public static partial class LoggingExtensions
{
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>
    /// JSON lines (one object per line, with scopes) outside Development, readable text in Development;
    /// <c>Logging__Format</c> (<c>json</c> or <c>simple</c>, <see cref="HostingOptions"/>) overrides. The hosting layer opens a scope with
    /// <c>RequestId</c> (= HttpContext.TraceIdentifier) around every request, so each line a request logs
    /// carries it, and <see cref="UseMarketplaceRequestLog"/> returns it to the client as X-Request-Id.
    /// Request bodies, headers and query strings are never logged: they carry signatures, challenges and tokens.
    /// </summary>
    public static WebApplicationBuilder AddMarketplaceLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The log format is needed before the container exists: read early, the same way as at start.
        var format = new StartupSettings(builder.Configuration, builder.Environment).Read<HostingOptions>().LogFormat;
        builder.Logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss ";
                o.ColorBehavior = LoggerColorBehavior.Default;
            });
        }

        return builder;
    }

    /// <summary>One access line per request (method, path without query, status, duration) and the X-Request-Id response header.</summary>
    public static WebApplication UseMarketplaceRequestLog(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Marketplace.Web.Requests");
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
                return Task.CompletedTask;
            });
            try
            {
                await next(context);
            }
            finally
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    Log.Request(logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode, elapsed.TotalMilliseconds);
                }
            }
        });
        return app;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
        public static partial void Request(ILogger logger, string method, string path, int statusCode, double elapsedMs);
    }
}
