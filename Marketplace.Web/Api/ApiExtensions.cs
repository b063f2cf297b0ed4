using System.Text.Json;
using Marketplace.Web.Auth;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;

namespace Marketplace.Web.Api;

public static class ApiExtensions
{
    public static IServiceCollection AddMarketplaceApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
            // Two parsers must never disagree about what a body says: a key given twice is malformed, not "last one wins".
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        services.AddProblemDetails();
        services.AddInitiateRateLimit();
        services.AddRecipientRateLimit();
        services.AddMarketplaceOpenApi();
        return services;
    }

    /// <summary>Every JSON endpoint under /api; state changes need the antiforgery header, and unknown paths get a problem, not an empty 404.</summary>
    public static WebApplication MapMarketplaceApi(this WebApplication app)
    {
        app.MapWebhooksApi();
        var api = app.MapGroup("/api").AddEndpointFilter(RequireCsrfForStateChanges);
        ((IEndpointConventionBuilder)api).Add(ApiDocumentation.DocumentCsrfRefusal);
        api.MapAuthApi().MapAccountApi().MapWalletApi().MapProductsApi().MapPackagesApi().MapPaymentsApi().MapOrdersApi().MapSellerApi().MapAdminApi().MapLedgerApi();
        api.Map("/{**path}", () => ApiProblems.NotFound("no_such_endpoint", "There is no API endpoint at this path or with this method."));
        app.MapOpenApi();
        return app;
    }

    private static async ValueTask<object?> RequireCsrfForStateChanges(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            bool valid;
            try
            {
                valid = await antiforgery.IsRequestValidAsync(http);
            }
            catch (AntiforgeryValidationException ex)
            {
                // Without the header, antiforgery looks for the token in a form body; a body that is not a readable
                // form (broken multipart, too large) is the client's error, not ours.
                return ErrorHandlingExtensions.UnreadableBody(http, ex);
            }

            if (!valid)
            {
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, "csrf_token_invalid", "Missing or invalid CSRF token", $"Send the token from GET /api/auth/csrf in the {AuthExtensions.CsrfHeader} header.");
            }
        }

        return await next(context);
    }
}
