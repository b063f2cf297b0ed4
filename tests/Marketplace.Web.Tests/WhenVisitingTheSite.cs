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
}
