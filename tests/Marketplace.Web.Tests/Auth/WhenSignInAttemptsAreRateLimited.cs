using System.Net;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Auth;

public sealed class AppWithTightAuthLimit : MarketplaceApp
{
    public const int PerMinute = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:AuthPerMinute", PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class WhenSignInAttemptsAreRateLimited(AppWithTightAuthLimit app) : IClassFixture<AppWithTightAuthLimit>
{
    [Fact]
    public async Task The_request_over_the_limit_answers_429_with_retry_after_and_a_problem()
    {
        using var client = ApiClient.For(app);
        for (var i = 0; i < AppWithTightAuthLimit.PerMinute; i++)
        {
            await client.ChallengeAsync("login", null);
        }

        using var response = await client.PostJsonAsync("/api/auth/challenge", new { Purpose = "login" });

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }
}
