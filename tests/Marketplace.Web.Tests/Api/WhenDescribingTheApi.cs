using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Api;

/// <summary>
/// /openapi/v1.json must describe every endpoint under /api, including ones added later: the list of
/// endpoints comes from the app's routing, not from this file.
/// </summary>
public sealed class WhenDescribingTheApi(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    /// <summary>POST endpoints that take no request body; every other POST must describe the body it reads.</summary>
    private static readonly HashSet<string> BodylessPosts =
    [
        "POST /api/auth/logout",
        "POST /api/seller/orders/{id}/cancel",
        "POST /api/payments/{id}/cancel",
        "POST /api/admin/reconciliation/run",
        "POST /api/account/sessions/{id}/end",
        "POST /api/account/sessions/end-others",
        "POST /api/account/email/resend",
        "POST /api/seller/products/{id}/withdraw",
        "POST /api/seller/products/{id}/relist",
    ];

    /// <summary>Endpoints that have no expected failure to document.</summary>
    private static readonly HashSet<string> NeverFail = ["GET /api/auth/csrf", "GET /api/receipts/public-key", "GET /api/packages"];

    [Fact]
    public async Task Every_api_endpoint_is_in_the_document_with_a_summary_a_tag_and_its_response_shapes()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");
        var endpoints = ApiEndpoints();

        Assert.NotEmpty(endpoints);
        var problems = new List<string>();
        foreach (var (method, path) in endpoints)
        {
            var name = $"{method} {path}";
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                problems.Add($"{name}: missing from the document");
                continue;
            }

            if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
                problems.Add($"{name}: no summary");
            if (!operation.TryGetProperty("tags", out var tags) || tags.GetArrayLength() == 0)
                problems.Add($"{name}: no tag");
            if (!operation.TryGetProperty("responses", out var responses) || !responses.EnumerateObject().Any(r => DescribesItsBody(r.Name, r.Value)))
                problems.Add($"{name}: no success response with a schema (or 204)");
            if (!NeverFail.Contains(name) && !responses.EnumerateObject().Any(r => r.Name.StartsWith('4') && HasSchema(r.Value)))
                problems.Add($"{name}: no problem response with a schema");
            if (method == "POST" && !BodylessPosts.Contains(name) && !(operation.TryGetProperty("requestBody", out var body) && HasSchema(body)))
                problems.Add($"{name}: reads a body the document does not describe (add .Accepts<T>(\"application/json\"))");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Amounts_are_described_as_strings_in_snake_case()
    {
        var document = await DocumentAsync();

        var balance = document.GetProperty("components").GetProperty("schemas").GetProperty("BalanceResponse").GetProperty("properties");

        Assert.Equal("string", balance.GetProperty("available").GetProperty("type").GetString());
        Assert.True(balance.TryGetProperty("held", out _));
    }

    [Fact]
    public async Task State_changes_document_the_csrf_refusal_and_bodies_their_fields()
    {
        var document = await DocumentAsync();

        var initiate = document.GetProperty("paths").GetProperty("/api/payments/initiate").GetProperty("post");

        Assert.True(initiate.GetProperty("responses").TryGetProperty("403", out _));
        Assert.True(initiate.GetProperty("responses").TryGetProperty("201", out _));
        var body = initiate.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["amount", "currency", "gateway", "package_id"], body.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        // A package names its own price: only the currency and the payment method are always required.
        Assert.Equal(["currency", "gateway"], body.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order());
    }

    private static bool DescribesItsBody(string status, JsonElement response) =>
        status == "204" || (status.StartsWith('2') && HasSchema(response));

    private static bool HasSchema(JsonElement responseOrBody) =>
        responseOrBody.TryGetProperty("content", out var content)
        && content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _));

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = app.CreateBrowserClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
    }

    private List<(string Method, string Path)> ApiEndpoints()
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true && !e.RoutePattern.RawText.Contains("**", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, Normalize(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();
    }

    // "/api/products/{id:guid}/" → "/api/products/{id}", the form OpenAPI paths take.
    private static string Normalize(string pattern)
    {
        var segments = pattern.TrimEnd('/').Split('/').Select(s => s.StartsWith('{') ? "{" + s.Trim('{', '}').Split(':', '=', '?')[0] + "}" : s);
        return string.Join('/', segments) is { Length: > 0 } path ? path : "/";
    }
}
