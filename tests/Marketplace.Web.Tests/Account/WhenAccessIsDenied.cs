using System.Net;

namespace Marketplace.Web.Tests.Account;

public sealed class WhenAccessIsDenied(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_denied_page_answers_403_with_a_readable_message()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/Account/Denied", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("You are not allowed to see that page", html, StringComparison.Ordinal);
        Assert.Contains("<html", html, StringComparison.Ordinal);
    }
}
