using Marketplace.Web.Api;

namespace Marketplace.Web.Hosting;

public static class ErrorHandlingExtensions
{
    /// <summary>
    /// Unhandled errors become a problem response for the API and the error page for browsers;
    /// bare status codes (404 for an unknown page, 405) get a body too. Never a stack trace.
    /// </summary>
    public static WebApplication UseMarketplaceErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(async context =>
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await ApiProblems.Write(context, StatusCodes.Status500InternalServerError, "internal_error", "Something went wrong", "The server could not complete the request. Nothing was changed; try again.", context.RequestAborted);
                return;
            }

            context.Response.Redirect("/Error");
        }));

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
        return app;
    }

    private static string Heading(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Page not found",
        StatusCodes.Status403Forbidden => "You are not allowed to see that page",
        _ => "Request failed",
    };
}
