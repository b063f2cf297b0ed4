using System.Net;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>The app on Kestrel, so requests come from a real loopback address, with a sign-in limit of three a minute.</summary>
public abstract class ProxiedApp : MarketplaceApp
{
    public const int PerMinute = 3;

    protected ProxiedApp() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:AuthPerMinute", PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A challenge request that claims, through X-Forwarded-For, to come from <paramref name="clientAddress"/>.</summary>
    public static async Task<HttpStatusCode> ChallengeFromAsync(ApiClient client, string clientAddress)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/auth/challenge", UriKind.Relative))
        {
            Content = new StringContent("""{"purpose":"login"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ApiClient.CsrfHeader, await client.CsrfTokenAsync());
        request.Headers.Add("X-Forwarded-For", clientAddress);
        using var response = await client.Http.SendAsync(request);
        return response.StatusCode;
    }
}

/// <summary>No FORWARDED_PROXIES, but the framework's switch that trusts everyone turned on, as the old image did.</summary>
public sealed class AppTrustingNoProxy : ProxiedApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FORWARDEDHEADERS_ENABLED", "true");
    }
}

public sealed class AppBehindATrustedProxy : ProxiedApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FORWARDED_PROXIES", "127.0.0.1, ::1");
    }
}

public sealed class WhenNoProxyIsTrusted(AppTrustingNoProxy app) : IClassFixture<AppTrustingNoProxy>
{
    [Fact]
    public async Task A_different_spoofed_x_forwarded_for_on_each_request_still_hits_the_sign_in_limit()
    {
        using var client = new ApiClient(app.CreateClient());
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= ProxiedApp.PerMinute + 1; i++)
        {
            statuses.Add(await ProxiedApp.ChallengeFromAsync(client, $"203.0.113.{i}"));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, ProxiedApp.PerMinute), HttpStatusCode.TooManyRequests], statuses);
    }
}

public sealed class WhenBehindATrustedProxy(AppBehindATrustedProxy app) : IClassFixture<AppBehindATrustedProxy>
{
    [Fact]
    public async Task Each_forwarded_client_address_has_its_own_sign_in_limit()
    {
        using var client = new ApiClient(app.CreateClient());
        var distinct = new List<HttpStatusCode>();
        for (var i = 1; i <= ProxiedApp.PerMinute + 2; i++)
        {
            distinct.Add(await ProxiedApp.ChallengeFromAsync(client, $"198.51.100.{i}"));
        }

        var same = new List<HttpStatusCode>();
        for (var i = 0; i <= ProxiedApp.PerMinute; i++)
        {
            same.Add(await ProxiedApp.ChallengeFromAsync(client, "192.0.2.77"));
        }

        Assert.All(distinct, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, ProxiedApp.PerMinute), HttpStatusCode.TooManyRequests], same);
    }
}

public sealed class WhenProxySettingsAreWrongOrMissing
{
    [Fact]
    public void An_invalid_forwarded_proxies_value_stops_the_start_and_names_it()
    {
        using var app = new AppWith(("FORWARDED_PROXIES", "10.0.0.0/8, the-load-balancer"));

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("FORWARDED_PROXIES", error.Message, StringComparison.Ordinal);
        Assert.Contains("the-load-balancer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_development_the_app_refuses_to_start_without_public_base_url_and_names_it()
    {
        using var app = new AppWith(("PUBLIC_BASE_URL", string.Empty), (null, "Production"));

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("PUBLIC_BASE_URL", error.Message, StringComparison.Ordinal);
    }

    private sealed class AppWith(params (string? Key, string Value)[] settings) : MarketplaceApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings)
            {
                if (key is null)
                    builder.UseEnvironment(value);
                else
                    builder.UseSetting(key, value);
            }
        }
    }
}
