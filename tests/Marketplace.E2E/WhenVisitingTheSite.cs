using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E;

[Collection("app")]
public sealed class WhenVisitingTheSite(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task The_home_page_shows_the_marketplace_heading()
    {
        var response = await Page.GotoAsync("/");

        Assert.NotNull(response);
        Assert.True(response.Ok, $"GET / answered {response.Status}");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Marketplace" })).ToBeVisibleAsync();
    }
}
