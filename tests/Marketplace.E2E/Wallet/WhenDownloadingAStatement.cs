using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Wallet;

[Collection("app")]
public sealed class WhenDownloadingAStatement(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task The_wallet_shows_the_balance_chart_and_downloads_the_statement_as_csv()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        var chart = Page.GetByRole(AriaRole.Img, new() { Name = "Available balance, last 30 days" });
        await Expect(chart).ToBeVisibleAsync();
        await Expect(chart).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("went from 0.00 MC to 1,000.00 MC"));
        var download = await Page.RunAndWaitForDownloadAsync(() =>
            Page.GetByRole(AriaRole.Button, new() { Name = "Download statement" }).ClickAsync());

        Assert.Matches(@"^statement-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$", download.SuggestedFilename);
        var path = await download.PathAsync();
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal("date,kind,description,amount,running_balance", lines[0]);
        Assert.EndsWith(",welcome_grant,Welcome credits,1000.00,1000.00", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wallet_downloads_the_verifiable_statement_with_the_welcome_grant_and_its_proof()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        var download = await Page.RunAndWaitForDownloadAsync(() =>
            Page.GetByRole(AriaRole.Button, new() { Name = "Download verifiable statement (JSON)" }).ClickAsync());

        Assert.Matches(@"^statement-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.json$", download.SuggestedFilename);
        using var file = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(await download.PathAsync()));
        Assert.Equal("marketplace-verifiable-statement-v1", file.RootElement.GetProperty("format").GetString());
        var transaction = Assert.Single(file.RootElement.GetProperty("transactions").EnumerateArray());
        Assert.Matches(@"^ledger-v1\|\d+\|3\|", transaction.GetProperty("canonical").GetString());
        Assert.Equal("1000.00", transaction.GetProperty("entries").EnumerateArray().Single(e => e.TryGetProperty("balance_after", out _)).GetProperty("balance_after").GetString());
    }
}
