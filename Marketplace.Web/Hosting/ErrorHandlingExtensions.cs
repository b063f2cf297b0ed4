using Marketplace.Web.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Hosting;

public static partial class ErrorHandlingExtensions
{
    private const string RejectedBodiesCategory = "Marketplace.Web.RejectedBodies";

    /// <summary>
    /// Unhandled errors become a problem response for the API and the error page for browsers;
    /// bare status codes (404 for an unknown page, 405) get a body too. Never a stack trace.
    /// </summary>
    public static WebApplication UseMarketplaceErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(async context =>
        {
            // A body over Kestrel's or the form reader's limits surfaces as an exception wherever it is first read.
            if (RejectedBody(context.Features.Get<IExceptionHandlerFeature>()?.Error) is { } rejected)
            {
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    await ApiProblems.Write(context, rejected.Status, rejected.Code, "Request not accepted", rejected.Detail, context.RequestAborted);
                    return;
                }

                context.Response.StatusCode = rejected.Status;
                await context.Response.WriteAsync(rejected.Detail, context.RequestAborted);
                return;
            }

            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await ApiProblems.Write(context, StatusCodes.Status500InternalServerError, "internal_error", "Something went wrong", "The server could not complete the request. Nothing was changed; try again.", context.RequestAborted);
                return;
            }

            context.Response.Redirect("/Error");
        }));

        // Inside the exception handler: a body the client got wrong is answered here and logged as a warning, so it
        // never reaches the handler, which would log it as an unhandled exception.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (RejectedBody(ex) is { } rejected && !context.Response.HasStarted)
            {
                LogRejected(Logger(context), context.Request.Method, context.Request.Path.Value ?? string.Empty, rejected.Status, rejected.Detail);
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    await ApiProblems.Write(context, rejected.Status, rejected.Code, "Request not accepted", rejected.Detail, context.RequestAborted);
                    return;
                }

                context.Response.StatusCode = rejected.Status;
                await context.Response.WriteAsync(rejected.Detail, context.RequestAborted);
            }
        });

        app.UseStatusCodePages(async status =>
        {
            var context = status.HttpContext;
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await ApiProblems.Write(context, context.Response.StatusCode, "http_" + context.Response.StatusCode, "Request failed", $"The request failed with status {context.Response.StatusCode}.", context.RequestAborted);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{context.Response.StatusCode}</title><link rel=\"stylesheet\" href=\"/css/site.css\"></head>" +
                $"<body><main><h1>{Heading(context.Response.StatusCode)}</h1><p><a href=\"/\">Back to the catalog</a></p></main></body></html>",
                context.RequestAborted);
        });
        // Inside both: a request the database failed for a conflict with another one runs again before anything answers.
        app.UseMarketplaceConflictRetry();
        return app;
    }

    /// <summary>
    /// The answer to a body that could not be read where the request is judged (the CSRF check reads a form body):
    /// 413 past a limit, otherwise 400 <c>malformed_body</c>; a warning in the log either way.
    /// </summary>
    public static ProblemHttpResult UnreadableBody(HttpContext context, Exception error)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (status, code, detail) = RejectedBody(error) is { Status: StatusCodes.Status413PayloadTooLarge } tooLarge
            ? tooLarge
            : (StatusCodes.Status400BadRequest, "malformed_body", "The request body could not be read: it is not the form or multipart body its Content-Type says. Send JSON with the X-CSRF-Token header.");
        LogRejected(Logger(context), context.Request.Method, context.Request.Path.Value ?? string.Empty, status, $"{detail} ({error.GetBaseException().Message})");
        return ApiProblems.Problem(status, code, "Request not accepted", detail);
    }

    private static ILogger Logger(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(RejectedBodiesCategory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: request body refused with {StatusCode}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, string path, int statusCode, string reason);

    // Antiforgery wraps a failed form read in its own exception, so look through inner exceptions.
    private static (int Status, string Code, string Detail)? RejectedBody(Exception? error) =>
        error is null ? null : RejectedBodyItself(error) ?? RejectedBody(error.InnerException);

    private static (int Status, string Code, string Detail)? RejectedBodyItself(Exception error) => error switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "body_too_large", "The request body is larger than this endpoint accepts."),
        BadHttpRequestException bad => (bad.StatusCode, "bad_request", "The request could not be read."),
        InvalidDataException => (StatusCodes.Status413PayloadTooLarge, "body_too_large", "The form has too many fields or a field that is too long."),
        _ => null,
    };

    private static string Heading(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Page not found",
        StatusCodes.Status403Forbidden => "You are not allowed to see that page",
        _ => "Request failed",
    };
}
