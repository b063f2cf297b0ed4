using System.Net;
using System.Text;
using Marketplace.Web.Hosting;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Hosting;

public sealed class WhenARequestBodyIsTooLarge(KestrelApp app) : IClassFixture<KestrelApp>
{
    [Fact]
    public async Task A_body_over_the_server_limit_is_refused_with_413_before_it_is_read()
    {
        var body = "email=" + new string('a', (int)SecurityHeadersExtensions.MaxRequestBodyBytes);

        using var response = await PostFormAsync("/api/auth/challenge", body);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task A_form_field_over_the_form_limit_is_refused_with_413()
    {
        var body = "email=" + new string('a', 100 * 1024);

        using var response = await PostFormAsync("/api/auth/challenge", body);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task A_small_form_is_read_and_judged_on_its_content()
    {
        using var response = await PostFormAsync("/api/auth/challenge", "email=a");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_token_invalid");
    }

    // Expect: 100-continue makes the client wait for the server's verdict before sending the body, so a
    // refusal arrives as a response rather than as a connection reset while the client is still writing. The wait is
    // the handler's Expect100ContinueTimeout (1 s by default), which a busy machine can outlast: then the client sends
    // anyway and meets the closed connection. A long wait keeps the test about the server, not the machine's load.
    private async Task<HttpResponseMessage> PostFormAsync(string path, string body)
    {
        using var kestrel = app.CreateClient();
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(2) })
        {
            BaseAddress = kestrel.BaseAddress,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        request.Headers.ExpectContinue = true;
        return await client.SendAsync(request);
    }
}
