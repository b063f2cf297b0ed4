using System.Net;
using System.Text;
using Marketplace.Web.Hosting;
using Marketplace.Web.Tests.Api;
using Microsoft.Extensions.Logging;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>
/// A body the server cannot read (a broken multipart form, one over the size limit) is the client's mistake: a 4xx
/// problem, logged as a warning, never an unhandled exception, even before the CSRF check has run.
/// </summary>
public sealed class WhenABodyCannotBeRead(KestrelApp app) : IClassFixture<KestrelApp>
{
    [Fact]
    public async Task A_body_over_the_limit_is_logged_as_a_warning_not_as_an_unhandled_exception()
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/auth/challenge", UriKind.Relative))
        {
            Content = new StringContent("email=" + new string('a', (int)SecurityHeadersExtensions.MaxRequestBodyBytes), Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= LogLevel.Error);
        Assert.Contains(app.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("413", StringComparison.Ordinal));
    }
}

/// <summary>The CSRF check reads a form body when no token header is sent; a multipart body that is not one is a 400, not a 500.</summary>
public sealed class WhenAMultipartBodyIsMalformed(VerboseLoggingApp app) : IClassFixture<VerboseLoggingApp>
{
    [Theory]
    [InlineData("/api/auth/challenge")]
    [InlineData("/api/auth/register")]
    [InlineData("/api/payments/initiate")]
    [InlineData("/api/wallet/transact")]
    public async Task A_malformed_multipart_body_on_a_csrf_protected_endpoint_is_a_400(string path)
    {
        // Signed in, so endpoints that need a user get as far as the CSRF check; no token, so it looks in the body.
        using var client = await ApiClient.RegisteredAsync(app);
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("garbage"));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=xyz");

        using var response = await client.PostAsync(path, content, withCsrf: false);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_body");
        Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= LogLevel.Error);
    }
}
