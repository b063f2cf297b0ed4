using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Marketplace.Web.Tests.Api;
using Xunit.Abstractions;

namespace Marketplace.Web.Tests.Hostile;

/// <summary>
/// The standing hostile-input suite: at least 10,000 generated bad requests (seed HOSTILE_SEED, count HOSTILE_REQUESTS)
/// across every POST endpoint, webhooks and page forms included, with every gateway configured against its fake. None
/// may get a 5xx; every /api error is application/problem+json with a code; balances, row counts and the chain head are
/// the same afterwards.
/// </summary>
public sealed class WhenHostileRequestsArrive(HostileApp app, ITestOutputHelper output) : IClassFixture<HostileApp>
{
    private const int DefaultRequests = 12_000;
    private const int DefaultSeed = 20_261_201;
    private const int Workers = 4;

    [Fact]
    public async Task None_gets_a_5xx_every_api_error_is_a_problem_with_a_code_and_nothing_changes()
    {
        var total = Setting("HOSTILE_REQUESTS", DefaultRequests);
        var seed = Setting("HOSTILE_SEED", DefaultSeed);
        var before = await app.SnapshotAsync();
        var failures = new ConcurrentQueue<string>();
        var perEndpoint = new ConcurrentDictionary<string, int>();
        var perEndpointStatus = new ConcurrentDictionary<string, int>();
        var statuses = new ConcurrentDictionary<int, int>();
        var sent = 0;

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var generator = new HostileRequests(app, seed + worker);
            while (Interlocked.Increment(ref sent) <= total)
            {
                var request = generator.Next();
                var (status, problem) = await SendAsync(request);
                perEndpoint.AddOrUpdate(request.Endpoint, 1, (_, n) => n + 1);
                perEndpointStatus.AddOrUpdate($"{request.Endpoint} {request.Sender} {status}", 1, (_, n) => n + 1);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (status >= 500 || (request.Path.StartsWith("/api/", StringComparison.Ordinal) && status >= 400 && problem is not null))
                {
                    failures.Enqueue($"{status} {problem ?? "server error"}: {request}");
                }
            }
        })));

        var after = await app.SnapshotAsync();
        var report = $"Sent {total.ToString("N0", CultureInfo.InvariantCulture)} hostile requests (seed {seed}) to {perEndpoint.Count} endpoints; answers: "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        output.WriteLine(report);
        Console.WriteLine(report);
        foreach (var (endpoint, count) in perEndpoint.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var answers = perEndpointStatus.Where(s => s.Key.StartsWith(endpoint + " ", StringComparison.Ordinal)).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key[(endpoint.Length + 1)..]}×{s.Value}");
            output.WriteLine($"  {endpoint}: {count} ({string.Join(", ", answers)})");
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} requests were answered wrongly; the first ones:\n" + string.Join('\n', failures.Take(20)));
        Assert.True(total >= 10_000, "The suite sends at least 10,000 requests.");
        Assert.Equal(18, perEndpoint.Count);
        Assert.All(perEndpoint.Values, count => Assert.True(count >= 100, "every endpoint gets its share"));
        Assert.DoesNotContain(statuses.Keys, s => s >= 500);
        Assert.Equal(before, after);
    }

    /// <summary>The status, and for an /api error what is wrong with its problem body (null when it is a proper problem).</summary>
    private async Task<(int Status, string? Problem)> SendAsync(HostileRequest request)
    {
        var (client, csrf) = request.Sender switch
        {
            Sender.Shopper => (app.Shopper.Http, await app.Shopper.CsrfTokenAsync()),
            Sender.ShopperWithoutCsrf => (app.Shopper.Http, null),
            Sender.Admin => (app.Admin.Http, await app.Admin.CsrfTokenAsync()),
            Sender.AnonymousWithCsrf => (app.Anonymous.Http, await app.Anonymous.CsrfTokenAsync()),
            _ => (app.Anonymous.Http, (string?)null),
        };
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(request.Path, UriKind.Relative));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        // Page forms are posted as a cross-site form would be: without the header that would pass their antiforgery check.
        if (csrf is not null && request.Path.StartsWith("/api/", StringComparison.Ordinal))
        {
            message.Headers.Add(ApiClient.CsrfHeader, csrf);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(message);
        var status = (int)response.StatusCode;
        if (status < 400 || !request.Path.StartsWith("/api/", StringComparison.Ordinal))
        {
            return (status, null);
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return (status, $"content type {response.Content.Headers.ContentType?.MediaType ?? "(none)"}");
        }

        try
        {
            var body = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
            return body.ValueKind == JsonValueKind.Object && body.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0
                ? (status, null)
                : (status, "a problem without a code");
        }
        catch (JsonException)
        {
            return (status, "a problem body that is not JSON");
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
