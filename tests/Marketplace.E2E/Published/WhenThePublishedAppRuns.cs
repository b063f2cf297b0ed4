using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Marketplace.E2E.Published;

/// <summary>
/// The published-app test: stands in for building and running the Docker image (no Docker engine here).
/// Slow by nature (a full dotnet publish, about a minute); filter it with Category=PublishedApp.
/// </summary>
[Trait("Category", "PublishedApp")]
public sealed class WhenThePublishedAppRuns : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private PublishedApp? _app;

    private PublishedApp App => _app ?? throw new InvalidOperationException("Not published.");

    public async Task InitializeAsync()
    {
        _app = await PublishedApp.PublishAsync();
        _http.BaseAddress = _app.BaseUrl;
        // What the TLS-terminating proxy in front of the container adds.
        _http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
    }

    [Fact]
    public async Task It_starts_with_the_image_environment_becomes_ready_serves_pages_and_stops_cleanly_on_SIGTERM()
    {
        App.Start();

        await WaitUntilReadyAsync();
        using var home = await _http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("<h1>Marketplace</h1>", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(home.Headers.Contains("Content-Security-Policy"));
        Assert.True(home.Headers.Contains("X-Request-Id"));
        // pico.css, site.css and app.js (htmx included): every asset the page links is published under a fingerprinted URL, precompressed with brotli, cached as immutable.
        var assets = System.Text.RegularExpressions.Regex.Matches(await home.Content.ReadAsStringAsync(), "<(?:script[^>]* src|link rel=\"stylesheet\" href)=\"(/[^\"]+)\"")
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, assets.Count);
        foreach (var asset in assets)
        {
            Assert.Matches(@"^/(lib|js|css)/[a-z0-9.-]+\.[a-z0-9]{10}\.(js|css)$", asset);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(asset, UriKind.Relative));
            request.Headers.AcceptEncoding.ParseAdd("br, gzip");
            using var response = await _http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset} was not published: {(int)response.StatusCode}");
            Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
        }

        using (var plain = new HttpClient { BaseAddress = App.BaseUrl })
        using (var direct = await plain.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, direct.StatusCode);
            Assert.Contains("only over HTTPS", await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var admins = await App.RunAdminCommandAsync("list");
        Assert.True(admins.ExitCode == 0, admins.Output);
        Assert.Contains("No account has the admin role.", admins.Output, StringComparison.Ordinal);
        var unknown = await App.RunAdminCommandAsync("grant", "nobody@example.test");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("There is no account with the email nobody@example.test", unknown.Output, StringComparison.Ordinal);

        Assert.Equal(0, await App.RunHealthCheckAsync("/healthz"));
        Assert.NotEqual(0, await App.RunHealthCheckAsync("/no-such-health-endpoint"));
        Assert.True(File.Exists(Path.Combine(App.DataDirectory, "marketplace.db")), "The database is not on the data volume.");
        // The session keys and the receipt key live in the database, where every instance finds them; with no
        // certificate to encrypt them (fine on SQLite) the start says so.
        Assert.True(await CountRowsAsync("data_protection_keys") > 0, "The data-protection keys are not in the database.");
        Assert.Equal(1, await CountRowsAsync("server_keys"));
        Assert.Contains("DataProtection__CertificatePath is not set", App.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(App.DataDirectory, "hangfire.db")), "Hangfire's job storage is not on the data volume.");

        var exitCode = await App.StopAsync(TimeSpan.FromSeconds(35));

        Assert.True(exitCode == 0, $"Exit code {exitCode} after SIGTERM. Output:\n{App.Output}");
        var lines = App.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.True(IsJsonLogLine(line), $"Not a JSON log line: {line}"));
    }

    public void Dispose() => _http.Dispose();

    private async Task<long> CountRowsAsync(string table)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(App.DataDirectory, "marketplace.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    /// <summary>Polls /readyz (database reachable, migrations applied, last reconciliation clean) until it answers 200.</summary>
    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        var last = "no answer";
        while (true)
        {
            Assert.True(App.ExitCode is null, $"The app exited with {App.ExitCode}:\n{App.Output}");
            try
            {
                using var ready = await _http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                    return;
                last = $"{(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, $"/readyz not 200 within {Patience} (last: {last}). Output:\n{App.Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static bool IsJsonLogLine(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("Category", out _) && document.RootElement.TryGetProperty("LogLevel", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
