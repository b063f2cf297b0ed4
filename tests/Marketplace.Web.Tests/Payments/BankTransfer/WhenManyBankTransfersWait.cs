using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

/// <summary>
/// The dashboard used to show the oldest 100 pending transfers and nothing else, so a real transfer made after a flood
/// of unpaid ones was unreachable. Every list is paged now, and transfers are found by reference, shopper, amount and day.
/// </summary>
public sealed partial class WhenManyBankTransfersWait(BankTransferApp app) : IClassFixture<BankTransferApp>
{
    private const string Dashboard = "/Admin/BankTransfers";

    [Fact]
    public async Task A_transfer_behind_a_flood_is_on_a_later_page_and_found_by_shopper_amount_and_day()
    {
        using var admin = await app.AdminAsync();
        for (var shopper = 0; shopper < 9; shopper++)
        {
            using var flooder = await ApiClient.RegisteredAsync(app);
            for (var i = 0; i < 3; i++)
            {
                await flooder.StartBankTransferAsync("1000.00");
            }
        }

        using var real = await ApiClient.RegisteredAsync(app);
        await real.StartBankTransferAsync("5000.00");

        var first = await HtmlAsync(admin, Dashboard);
        Assert.DoesNotContain("5,000.00 USD", first, StringComparison.Ordinal);
        Assert.Contains("28 in all; page 1 of 2.", first, StringComparison.Ordinal);
        var next = NextPage().Match(first);
        Assert.True(next.Success, "page 1 links to page 2");
        var second = await HtmlAsync(admin, System.Net.WebUtility.HtmlDecode(next.Groups[1].Value));
        Assert.Contains("5,000.00 USD", second, StringComparison.Ordinal);
        Assert.Contains(real.User.Email, second, StringComparison.Ordinal);

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var query in new[] { "amount=5000", $"user={Uri.EscapeDataString(real.User.Email[..20].ToUpperInvariant())}", $"amount=5,000.00&from={today}&to={today}" })
        {
            var found = await HtmlAsync(admin, $"{Dashboard}?{query}");
            Assert.Contains("5,000.00 USD", found, StringComparison.Ordinal);
            Assert.DoesNotContain("1,000.00 USD", found, StringComparison.Ordinal);
        }

        Assert.Contains("No bank transfers are waiting for confirmation.", await HtmlAsync(admin, $"{Dashboard}?from={tomorrow}"), StringComparison.Ordinal);
        Assert.Contains("Dates are written yyyy-MM-dd", await HtmlAsync(admin, $"{Dashboard}?from=yesterday"), StringComparison.Ordinal);
    }

    private static async Task<string> HtmlAsync(ApiClient admin, string path)
    {
        using var response = await admin.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}");
        return html;
    }

    [GeneratedRegex("<a href=\"([^\"]+)\" rel=\"next\">Next page</a>")]
    private static partial Regex NextPage();
}
