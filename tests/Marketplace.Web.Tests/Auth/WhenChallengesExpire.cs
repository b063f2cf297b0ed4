using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Auth;

/// <summary>The app with a clock the test moves; the app registers TimeProvider with TryAdd, so this one wins.</summary>
public sealed class AppWithTestClock : MarketplaceApp
{
    public TestClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class WhenChallengesExpire(AppWithTestClock app) : IClassFixture<AppWithTestClock>
{
    [Fact]
    public async Task The_app_reads_time_from_the_test_clock()
    {
        using var client = ApiClient.For(app);
        app.Clock.Advance(TimeSpan.FromDays(3));

        using var response = await client.PostJsonAsync("/api/auth/challenge", new { Purpose = "login" });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var expiresAt = body.GetProperty("expires_at").GetDateTime().ToUniversalTime();
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddMinutes(5), expiresAt, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_login_challenge_older_than_its_lifetime_is_rejected()
    {
        var user = await ApiClient.RegisterUserAsync(app);
        using var client = ApiClient.For(app);
        var challenge = await client.ChallengeAsync("login", user.Email);
        app.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        using var response = await client.LoginWithAsync(user.Email, challenge, user.Sign(challenge));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "challenge_rejected");
    }

    [Fact]
    public async Task A_login_challenge_just_inside_its_lifetime_is_accepted()
    {
        var user = await ApiClient.RegisterUserAsync(app);
        using var client = ApiClient.For(app);
        var challenge = await client.ChallengeAsync("login", user.Email);
        app.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        using var response = await client.LoginWithAsync(user.Email, challenge, user.Sign(challenge));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_register_challenge_creates_no_account()
    {
        using var client = ApiClient.For(app);
        var user = TestUser.New();
        var challenge = await client.ChallengeAsync("register", user.Email);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        var usersBefore = await app.CountUsersAsync();

        using var response = await client.RegisterWithAsync(user, challenge, user.Sign(challenge));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "challenge_rejected");
        Assert.Equal(usersBefore, await app.CountUsersAsync());
    }
}
