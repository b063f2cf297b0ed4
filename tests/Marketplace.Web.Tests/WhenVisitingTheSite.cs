using System.Net;

namespace Marketplace.Web.Tests;

public sealed class WhenVisitingTheSite(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_home_page_answers_200_with_html()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_visitor_gets_no_antiforgery_token_or_cookie_on_the_catalog()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("name=\"csrf-token\"", html, StringComparison.Ordinal);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        Assert.DoesNotContain(cookies, c => c.StartsWith("marketplace.csrf=", StringComparison.Ordinal));
    }
}
