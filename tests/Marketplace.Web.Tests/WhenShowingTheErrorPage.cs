namespace Marketplace.Web.Tests;

public sealed class WhenShowingTheErrorPage(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_error_page_is_friendly_and_shows_no_request_id()
    {
        using var client = app.CreateBrowserClient();

        var html = await client.GetStringAsync(new Uri("/Error", UriKind.Relative));

        Assert.Contains("Something went wrong", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Request ID", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Development", html, StringComparison.Ordinal);
    }
}
