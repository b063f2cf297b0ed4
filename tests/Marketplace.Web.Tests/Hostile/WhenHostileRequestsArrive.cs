using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Marketplace.Web.Tests.Api;
using Xunit.Abstractions;

namespace Marketplace.Web.Tests.Hostile;

/// <summary>
/// The standing hostile-input suite: 10,000 or more generated bad requests (seed HOSTILE_SEED, count HOSTILE_REQUESTS)
/// across every POST endpoint, webhooks and page forms included, with every gateway configured against its fake. None
/// may get a 5xx; every /api error is application/problem+json with a code; balances, row counts and the chain head are
/// the same afterwards. Most come from someone the endpoint lets in, so the damage reaches the handlers; none of those
/// may be stopped at a gate, which would mean the suite no longer tests what it claims to.
/// </summary>
public sealed class WhenHostileRequestsArrive(HostileApp app, ITestOutputHelper output) : IClassFixture<HostileApp>
{
    private const int DefaultRequests = 10_000;
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
        var gateTests = 0;

        // Each worker sends a fixed share from its own seeded generator, so one seed is one set of requests in every run
        // (a shared counter let the scheduler decide how many each generator got to send).
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var generator = new HostileRequests(app, seed + worker);
            var share = (total / Workers) + (worker < total % Workers ? 1 : 0);
            for (var i = 0; i < share; i++)
            {
                var request = generator.Next();
                var (status, problem, atGate) = await SendAsync(request);
                perEndpoint.AddOrUpdate(request.Endpoint, 1, (_, n) => n + 1);
                perEndpointStatus.AddOrUpdate($"{request.Endpoint} {request.Sender} {status}", 1, (_, n) => n + 1);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (status >= 500 || problem is not null)
                {
                    failures.Enqueue($"{status} {problem ?? "server error"}: {request}");
                }

                if (!request.PassesGates)
                {
                    Interlocked.Increment(ref gateTests);
                }
                else if (atGate)
                {
                    failures.Enqueue($"{status} at a gate for a sender it should let in: {request}");
                }
            }
        })));

        var after = await app.SnapshotAsync();
        var report = $"Sent {total.ToString("N0", CultureInfo.InvariantCulture)} hostile requests (seed {seed}) to {perEndpoint.Count} endpoints, "
            + $"{gateTests.ToString("N0", CultureInfo.InvariantCulture)} of them by someone a gate must stop; answers: "
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
        Assert.Equal(41, perEndpoint.Count);
        Assert.InRange(gateTests, total / (2 * HostileRequests.GateShare), total / 4);
        Assert.All(perEndpoint.Values, count => Assert.True(count >= 100, "every endpoint gets its share"));
        Assert.DoesNotContain(statuses.Keys, s => s >= 500);
        Assert.Equal(before, after);
    }

    /// <summary>
    /// The status; what is wrong with the answer (null when nothing is: for an /api error a proper problem, for a page
    /// anything but the error page that stands for an unhandled exception); and whether a gate stopped it before its
    /// handler (signed out, not allowed, or no valid antiforgery token).
    /// </summary>
    private async Task<(int Status, string? Problem, bool AtGate)> SendAsync(HostileRequest request)
    {
        var (client, csrf) = request.Sender switch
        {
            Sender.Shopper => (app.Shopper.Http, await app.Shopper.CsrfTokenAsync()),
            Sender.ShopperWithoutCsrf => (app.Shopper.Http, null),
            Sender.Admin => (app.Admin.Http, await app.Admin.CsrfTokenAsync()),
            Sender.AdminWithoutCsrf => (app.Admin.Http, null),
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

        // Pages take the token from the header as the API does (the header wins over a form's field), so the damage in
        // a form body reaches the handler whatever it is; without a token a post is what a cross-site form can send.
        if (csrf is not null)
        {
            message.Headers.Add(ApiClient.CsrfHeader, csrf);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(message);
        var status = (int)response.StatusCode;
        var text = status >= 400 ? await response.Content.ReadAsStringAsync() : string.Empty;
        if (!request.Path.StartsWith("/api/", StringComparison.Ordinal))
        {
            var redirectedTo = response.Headers.Location is { } to ? (to.IsAbsoluteUri ? to.AbsolutePath : to.OriginalString) : string.Empty;
            // A page's antiforgery refusal has no page of its own: the bare status page answers it.
            var atGate = status is 401 or 403
                || (status == 302 && redirectedTo.StartsWith("/Account/Login", StringComparison.Ordinal))
                || (status == 400 && text.Contains("<h1>Request failed</h1>", StringComparison.Ordinal));
            return (status, status == 302 && redirectedTo == "/Error" ? "an unhandled exception (sent to /Error)" : null, atGate);
        }

        if (status < 400)
        {
            return (status, null, false);
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return (status, $"content type {response.Content.Headers.ContentType?.MediaType ?? "(none)"}", false);
        }

        try
        {
            var body = JsonSerializer.Deserialize<JsonElement>(text);
            var code = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("code", out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
            return string.IsNullOrEmpty(code)
                ? (status, "a problem without a code", false)
                : (status, null, code is "not_signed_in" or "forbidden" or "csrf_token_invalid");
        }
        catch (JsonException)
        {
            return (status, "a problem body that is not JSON", false);
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
