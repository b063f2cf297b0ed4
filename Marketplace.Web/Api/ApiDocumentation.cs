using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Marketplace.Web.Api;

/// <summary>
/// What /openapi/v1.json says about each endpoint beyond what the handler signatures show: problem responses,
/// and the JSON bodies handlers read themselves through <see cref="ApiBody"/>.
/// </summary>
public static class ApiDocumentation
{
    private const string ProblemJson = "application/problem+json";

    public static IServiceCollection AddMarketplaceOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o => o.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<FileResponseMetadata>().Any()
                && operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse okResponse)
            {
                okResponse.Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                };
            }

            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<FormBodyMetadata>().LastOrDefault() is { } form)
            {
                operation.RequestBody = FormBody(form);
                return;
            }

            var body = context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonBodyMetadata>().LastOrDefault();
            if (body is null)
            {
                return;
            }

            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !body.IsOptional,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.RequestType, null, cancellationToken) },
                },
            };
        }));

    /// <summary>Documents the problem responses an endpoint can answer with (application/problem+json carrying a stable code).</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(statusCodes);
        builder.Add(endpoint =>
        {
            foreach (var status in statusCodes)
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ProblemJson]));
            }
        });
        return builder;
    }

    /// <summary>
    /// Documents the JSON body a handler reads through <see cref="ApiBody"/>. Not <c>Accepts&lt;T&gt;</c>: that also
    /// filters routing by content type, and a wrong content type must reach ApiBody to get its 415 problem.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder builder, bool isOptional = false)
        where TRequest : notnull =>
        builder.WithMetadata(new JsonBodyMetadata(typeof(TRequest), isOptional))
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

    /// <summary>Documents a 200 whose body is a file (its recorded type, described as binary).</summary>
    public static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new FileResponseMetadata()).Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");

    /// <summary>
    /// Documents the form a handler reads through <see cref="ApiForm"/>: multipart/form-data (the only way to send a file)
    /// or a urlencoded form without one, each field a string and a file field binary.
    /// </summary>
    public static RouteHandlerBuilder AcceptsForm(this RouteHandlerBuilder builder, params FormField[] fields) =>
        builder.WithMetadata(new FormBodyMetadata(fields))
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

    /// <summary>The CSRF filter's 403 on every state-changing endpoint.</summary>
    public static void DocumentCsrfRefusal(EndpointBuilder endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods);
        if (methods.Any(m => !HttpMethods.IsGet(m) && !HttpMethods.IsHead(m) && !HttpMethods.IsOptions(m)))
        {
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ProblemDetails), [ProblemJson]));
        }
    }

    private static OpenApiRequestBody FormBody(FormBodyMetadata form)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = form.Fields.ToDictionary(
                f => f.Name,
                f => (IOpenApiSchema)new OpenApiSchema { Type = JsonSchemaType.String, Format = f.IsFile ? "binary" : null, Description = f.Description },
                StringComparer.Ordinal),
            Required = form.Fields.Where(f => f.Required).Select(f => f.Name).ToHashSet(StringComparer.Ordinal),
        };
        return new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new() { Schema = schema },
                ["application/x-www-form-urlencoded"] = new() { Schema = schema },
            },
        };
    }

    private sealed record JsonBodyMetadata(Type RequestType, bool IsOptional);

    private sealed record FileResponseMetadata;

    private sealed record FormBodyMetadata(IReadOnlyList<FormField> Fields);
}

/// <summary>One field of a form body, for the API description.</summary>
public sealed record FormField(string Name, string Description, bool Required = false, bool IsFile = false);
