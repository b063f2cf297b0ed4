using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Marketplace.Web.Jobs;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Wallet;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Web.Tests.Auth;

public sealed class WhenSessionsLiveOnTheServer(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task After_log_out_a_saved_copy_of_the_cookie_gets_401_on_the_api_and_is_sent_to_log_in_on_pages()
    {
        using var client = ApiClient.For(app);
        using var registered = await client.RegisterAsync(TestUser.New());
        var cookie = SessionCookie(registered);
        using var copy = CopyWith(cookie);
        using (var before = await copy.GetAsync(new Uri("/api/wallet/balance", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var logout = await client.PostAsync("/api/auth/logout", null, null))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var api = await copy.GetAsync(new Uri("/api/wallet/balance", UriKind.Relative));
        using var page = await copy.GetAsync(new Uri("/Wallet", UriKind.Relative));

        await api.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/Account/Login", page.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task Log_out_everywhere_ends_the_other_sessions_and_keeps_this_one()
    {
        using var here = await ApiClient.RegisteredAsync(app);
        using var laptop = await SignedInAgainAsync(here.User);
        using var phone = await SignedInAgainAsync(here.User);

        using var ended = await here.PostAsync("/api/account/sessions/end-others", content: null);

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(2, (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ended").GetInt32());
        await (await laptop.GetAsync("/api/wallet/balance")).AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
        await (await phone.GetAsync("/api/wallet/balance")).AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
        Assert.Equal("1000.00", await here.AvailableAsync());
        Assert.Single((await here.GetJsonAsync("/api/account/sessions")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_account_page_lists_the_sessions_and_its_log_out_everywhere_button_works()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        using var other = await SignedInAgainAsync(shopper.Api.User);

        var html = await shopper.GetHtmlAsync("/Account");
        using var posted = await shopper.PostFormAsync("/Account", "/Account?handler=EndOthers", []);

        Assert.Contains("This browser", html, StringComparison.Ordinal);
        Assert.Contains("Log out everywhere", html, StringComparison.Ordinal);
        Assert.Equal(2, CountOccurrences(html, "<tr>") - 1);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        await (await other.GetAsync("/api/wallet/balance")).AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
        Assert.Contains("Logged out 1 other session(s).", await shopper.GetHtmlAsync("/Account"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_session_records_its_browser_and_one_can_be_ended_by_id_but_not_someone_elses()
    {
        using var here = await ApiClient.RegisteredAsync(app);
        using var other = await SignedInAgainAsync(here.User, userAgent: "Other Browser/1.0");
        using var stranger = await ApiClient.RegisteredAsync(app);

        var items = (await here.GetJsonAsync("/api/account/sessions")).GetProperty("items").EnumerateArray().ToList();
        var otherId = items.Single(i => !i.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid();
        using var byStranger = await stranger.PostAsync($"/api/account/sessions/{otherId}/end", content: null);
        using var byOwner = await here.PostAsync($"/api/account/sessions/{otherId}/end", content: null);

        Assert.Equal(2, items.Count);
        Assert.True(items[0].GetProperty("current").GetBoolean());
        Assert.Contains(items, i => i.GetProperty("user_agent").GetString() == "Other Browser/1.0");
        await byStranger.AssertProblemAsync(HttpStatusCode.NotFound, "session_not_found");
        Assert.Equal(HttpStatusCode.NoContent, byOwner.StatusCode);
        await (await other.GetAsync("/api/wallet/balance")).AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
    }

    internal static string SessionCookie(HttpResponseMessage signedIn) =>
        signedIn.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("marketplace.session=", StringComparison.Ordinal)).Split(';')[0];

    private HttpClient CopyWith(string cookie)
    {
        var copy = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri(MarketplaceApp.Origin), HandleCookies = false, AllowAutoRedirect = false });
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        return copy;
    }

    private async Task<ApiClient> SignedInAgainAsync(TestUser user, string? userAgent = null)
    {
        var client = ApiClient.For(app);
        if (userAgent is not null)
            client.Http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        using var login = await client.LoginAsync(user);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return client;
    }

    private static int CountOccurrences(string text, string what) => (text.Length - text.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;
}

/// <summary>An app whose sessions idle out after an hour, on a clock the test moves.</summary>
public sealed class AppWithShortSessions : MarketplaceApp
{
    public TestClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Sessions:IdleTimeout", "01:00:00");
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class WhenASessionIdlesOut(AppWithShortSessions app) : IClassFixture<AppWithShortSessions>
{
    [Fact]
    public async Task It_stops_signing_in_and_the_background_sweep_deletes_it()
    {
        using var idle = await ApiClient.RegisteredAsync(app);
        var userId = await Orders.OrderTesting.UserIdAsync(app, idle.User.Email);
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal("1000.00", await idle.AvailableAsync());

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        using var afterIdle = await idle.GetAsync("/api/wallet/balance");
        using (var scope = app.Services.CreateScope())
        {
            var job = new SessionSweepJob(scope.ServiceProvider.GetRequiredService<Sessions>(), scope.ServiceProvider.GetRequiredService<EmailVerifications>(), NullLogger<SessionSweepJob>.Instance);
            await job.RunAsync(CancellationToken.None);
        }

        await afterIdle.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
        using var read = app.Services.CreateScope();
        Assert.False(await read.ServiceProvider.GetRequiredService<MarketplaceDb>().Sessions.AnyAsync(s => s.UserId == userId));
    }
}
