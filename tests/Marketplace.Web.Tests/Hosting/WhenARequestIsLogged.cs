using System.Diagnostics;
using System.Net;
using Marketplace.Web.Hosting;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>The app with every category logging at Trace into a <see cref="CapturingLoggerProvider"/>, as verbose as an operator could make it.</summary>
public sealed class VerboseLoggingApp : MarketplaceApp
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.Database.Command" })
        {
            builder.UseSetting($"Logging:LogLevel:{category}", "Trace");
        }

        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }
}

public sealed class WhenARequestIsLogged(VerboseLoggingApp app) : IClassFixture<VerboseLoggingApp>
{
    [Fact]
    public async Task Every_line_the_request_logs_carries_its_request_id()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);

        using var response = await shopper.GetAsync("/Wallet");
        var requestId = WhenServingAnyResponse.Header(response, LoggingExtensions.RequestIdHeader);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(requestId));
        // The access line is written inside the request; its trace id picks out every other line logged on the request's flow.
        var access = Assert.Single(app.Logs.Lines, l => l.Category == "Marketplace.Web.Requests" && l.Values.GetValueOrDefault("Path") == "/Wallet");
        var traceId = access.Scopes["TraceId"];
        var requestLines = app.Logs.Lines.Where(l => l.Scopes.GetValueOrDefault("TraceId") == traceId).ToList();
        Assert.Contains(requestLines, l => l.Category.StartsWith("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal));
        Assert.Contains(requestLines, l => l.Category.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
        Assert.All(requestLines, l => Assert.Equal(requestId, l.Scopes.GetValueOrDefault("RequestId")));
        Assert.Equal("200", access.Values["StatusCode"]);
    }

    [Fact]
    public async Task Signatures_challenges_and_session_cookies_never_reach_the_log()
    {
        var user = TestUser.New();
        using var client = ApiClient.For(app);
        var challenge = await client.ChallengeAsync("register", user.Email);
        var signature = user.Sign(challenge);

        using var registered = await client.RegisterWithAsync(user, challenge, signature);
        var cookies = registered.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0].Split('=', 2)[1]).ToList();

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var lines = app.Logs.Lines;
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.AllText.Contains(signature, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.AllText.Contains(challenge, StringComparison.Ordinal));
        Assert.All(cookies, cookie => Assert.DoesNotContain(lines, l => l.AllText.Contains(cookie, StringComparison.Ordinal)));
    }

    [Fact]
    public void A_line_outside_any_request_has_no_request_id()
    {
        using var scope = app.Services.CreateScope();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Marketplace.Tests.Outside");
        using var activity = new Activity("outside").Start();

        logger.LogInformation("outside any request");

        var line = Assert.Single(app.Logs.Lines, l => l.Category == "Marketplace.Tests.Outside");
        Assert.False(line.Scopes.ContainsKey("RequestId"));
    }
}
