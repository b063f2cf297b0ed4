using System.Text.Json;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Api;

public static class ApiExtensions
{
    public static IServiceCollection AddMarketplaceApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
        services.AddProblemDetails();
        services.AddOpenApi();
        return services;
    }

    /// <summary>Every JSON endpoint under /api; state changes need the antiforgery header, and unknown paths get a problem, not an empty 404.</summary>
    public static WebApplication MapMarketplaceApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(RequireCsrfForStateChanges);
        ((IEndpointConventionBuilder)api).Add(DocumentCsrfRefusal);
        api.MapAuthApi().MapWalletApi().MapProductsApi().MapPaymentsApi().MapAdminApi();
        api.Map("/{**path}", () => ApiProblems.NotFound("no_such_endpoint", "There is no API endpoint at this path or with this method."));
        app.MapOpenApi();
        return app;
    }

    /// <summary>Documents the problem responses an endpoint can answer with (application/problem+json carrying a stable code).</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(statusCodes);
        builder.Add(endpoint =>
        {
            foreach (var status in statusCodes)
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
            }
        });
        return builder;
    }

    /// <summary>Documents a JSON request body that the handler reads itself through <see cref="ApiBody"/>.</summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : notnull =>
        builder.Accepts<TRequest>("application/json").ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

    private static void DocumentCsrfRefusal(EndpointBuilder endpoint)
    {
        var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods);
        if (methods.Any(m => !HttpMethods.IsGet(m) && !HttpMethods.IsHead(m) && !HttpMethods.IsOptions(m)))
        {
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ProblemDetails), ["application/problem+json"]));
        }
    }

    private static async ValueTask<object?> RequireCsrfForStateChanges(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, "csrf_token_invalid", "Missing or invalid CSRF token", $"Send the token from GET /api/auth/csrf in the {AuthExtensions.CsrfHeader} header.");
            }
        }

        return await next(context);
    }
}
