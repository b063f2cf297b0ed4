using System.Net;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>The app as it runs in production: HSTS on, Development conveniences off.</summary>
public sealed class ProductionApp : MarketplaceApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        // Production on PostgreSQL refuses data-protection keys stored in the clear.
        foreach (var (key, value) in Instances.TestCertificates.Write(DataDirectory, "keys"))
        {
            builder.UseSetting(key, value);
        }
    }
}

public sealed class WhenServingAnyResponse(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/Account/Register")]
    [InlineData("/api/products")]
    [InlineData("/api/no/such/endpoint")]
    [InlineData("/no-such-page")]
    [InlineData("/css/site.css")]
    public async Task It_carries_the_security_headers(string path)
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(SecurityHeadersExtensions.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.False(string.IsNullOrEmpty(Header(response, LoggingExtensions.RequestIdHeader)));
    }

    [Fact]
    public void The_policy_allows_no_inline_script_and_no_framing()
    {
        var directives = SecurityHeadersExtensions.ContentSecurityPolicy.Split(';', StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d);

        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.DoesNotContain("unsafe", SecurityHeadersExtensions.ContentSecurityPolicy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_sends_no_HSTS()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://shop.example.test") });

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Null(Header(response, "Strict-Transport-Security"));
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}

public sealed class WhenServingOverHttpsInProduction(ProductionApp app) : IClassFixture<ProductionApp>
{
    [Fact]
    public async Task Browsers_are_told_to_stay_on_HTTPS()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://shop.example.test") });

        using var response = await client.GetAsync(new Uri("/api/products", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("max-age=31536000", WhenServingAnyResponse.Header(response, "Strict-Transport-Security"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_HTTP_gets_a_clear_refusal_instead_of_an_antiforgery_failure()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://shop.example.test") });

        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        using var api = await client.GetAsync(new Uri("/api/products", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("only over HTTPS", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Api.ApiAssertions.AssertProblemAsync(api, HttpStatusCode.BadRequest, "https_required");
    }
}
