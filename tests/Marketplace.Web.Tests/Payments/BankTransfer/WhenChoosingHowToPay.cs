using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

/// <summary>Issue 14, defect 4: a gateway's minimum is shown before submit, not only as an error after it.</summary>
public sealed class WhenChoosingHowToPay(BankTransferApp app) : IClassFixture<BankTransferApp>
{
    [Fact]
    public async Task The_dialog_shows_each_gateways_minimum_and_the_conversion_before_submit()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync("/Wallet?buy=true&amount=40.00&currency=USD");

        Assert.Matches("<span>Bank transfer</span>\\s*<small>\\(from 1,000.00 USD\\)</small>", html);
        Assert.Contains("<p id=\"conversion\" class=\"conversion\" aria-live=\"polite\">40.00 USD → 40.00 MC</p>", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }
}
