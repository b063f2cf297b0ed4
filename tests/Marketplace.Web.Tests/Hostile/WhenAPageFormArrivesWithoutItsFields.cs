using System.Net;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Hostile;

/// <summary>
/// A form post that carries none of its page's fields (a script, a stale tab, a tampered request) is refused like an
/// empty form, on the page, and a field name with a stray bracket is just an unknown field; neither ends on the error page.
/// </summary>
public sealed class WhenAPageFormArrivesWithoutItsFields(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Theory]
    [InlineData("/Wallet", "/Wallet?handler=BuyCredits")]
    [InlineData("/Seller", "/Seller?handler=List")]
    public async Task A_shoppers_form_comes_back_refused(string page, string action)
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var empty = await shopper.PostFormAsync(page, action, []);
        using var bracket = await shopper.PostFormAsync(page, action, [new("a[", "1"), new("amount]", "2")]);

        foreach (var response in new[] { empty, bracket })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("role=\"alert\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Adjust", HttpStatusCode.BadRequest)]
    [InlineData("Refund", HttpStatusCode.BadRequest)]
    public async Task An_admins_form_comes_back_refused_and_changes_nothing(string handler, HttpStatusCode status)
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var page = $"/Admin/Users/{await app.UserIdAsync(shopper.User.Email)}";

        using var response = await WebShopper.PostFormAsync(admin.Http, page, $"{page}?handler={handler}", []);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains("role=\"alert\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("1000.00", await shopper.AvailableAsync());
    }
}
