using Marketplace.Core.Persistence;

namespace Marketplace.Web.Hosting;

/// <summary>
/// On PostgreSQL two transactions can deadlock, or (at REPEATABLE READ and above) fail to serialise; the database then
/// fails one of them and nothing of it is written. Such a request is run again from the start, a bounded number of
/// times, instead of answering 500: the one place these retries happen for HTTP. SQLite serialises writers and never
/// reports either, so the app on SQLite does not buffer bodies for this. A request still failing after the last attempt
/// is answered 503 with <c>Retry-After</c> (<c>database_busy</c> for the API): nothing of it was written.
/// </summary>
public static partial class ConflictRetryExtensions
{
    public static WebApplication UseMarketplaceConflictRetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<DatabaseSettings>().Kind != DatabaseKind.Postgres)
        {
            return app;
        }

        app.Use(async (context, next) =>
        {
            // The body is read again by the next attempt.
            context.Request.EnableBuffering();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await next(context);
                    return;
                }
                catch (Exception ex) when (attempt == DatabaseProvider.ConflictAttempts
                    && DatabaseProvider.IsTransientConflict(ex) && !context.Response.HasStarted)
                {
                    // Still conflicting after every attempt: nothing was written, and the client may send it again.
                    LogGaveUp(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConflictRetryExtensions)), context.Request.Method, context.Request.Path.Value ?? string.Empty, attempt, ex.Message);
                    context.Response.Clear();
                    context.Response.Headers.RetryAfter = "1";
                    if (context.Request.Path.StartsWithSegments("/api"))
                    {
                        await Api.ApiProblems.Write(context, StatusCodes.Status503ServiceUnavailable, "database_busy", "Busy", "The database was too busy with other requests to complete this one. Nothing was changed; send it again.", context.RequestAborted);
                    }
                    else
                    {
                        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    }

                    return;
                }
                catch (Exception ex) when (attempt < DatabaseProvider.ConflictAttempts
                    && DatabaseProvider.IsTransientConflict(ex) && !context.Response.HasStarted && context.Request.Body.CanSeek)
                {
                    LogRetry(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConflictRetryExtensions)), context.Request.Method, context.Request.Path.Value ?? string.Empty, attempt, ex.Message);
                    context.Request.Body.Position = 0;
                    context.Response.Clear();
                    // What the failed attempt tracked must not be saved by the next one; its transaction was rolled back.
                    context.RequestServices.GetRequiredService<MarketplaceDb>().ChangeTracker.Clear();
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), context.RequestAborted);
                }
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path}: the database failed all {Attempts} attempts for conflicts with other transactions ({Reason}); answered 503.")]
    private static partial void LogGaveUp(ILogger logger, string method, string path, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: the database failed attempt {Attempt} to resolve a conflict with another transaction ({Reason}); running it again.")]
    private static partial void LogRetry(ILogger logger, string method, string path, int attempt, string reason);
}
