using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Marketplace.Web.Tests.Wallet;

public sealed partial class WhenPagingThroughHistory(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private const int TopUps = 25;

    [Fact]
    public async Task Load_more_pages_follow_each_other_without_overlap_or_gaps()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        await shopper.PaidTopUpsAsync(TopUps);

        var first = await shopper.GetHtmlAsync("/Wallet");
        var cursor = NextCursor(first) ?? throw new Xunit.Sdk.XunitException("The first page has no Load more.");
        var second = await shopper.GetHtmlAsync($"/Wallet?handler=History&before={cursor}", htmx: true);

        Assert.Equal(20, Descriptions(first).Count);
        Assert.DoesNotContain("<html", second, StringComparison.OrdinalIgnoreCase);
        Assert.Null(NextCursor(second));
        var expected = Enumerable.Range(1, TopUps).Reverse()
            .Select(d => string.Create(CultureInfo.InvariantCulture, $"Top-up {d}.00 USD (demo)"))
            .Append("Welcome credits");
        Assert.Equal(expected, Descriptions(first).Concat(Descriptions(second)));
    }

    [Fact]
    public async Task Without_script_the_load_more_link_renders_the_same_page_of_history()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        await shopper.PaidTopUpsAsync(TopUps);
        var cursor = NextCursor(await shopper.GetHtmlAsync("/Wallet"));

        var htmxPage = await shopper.GetHtmlAsync($"/Wallet?handler=History&before={cursor}", htmx: true);
        var fullPage = await shopper.GetHtmlAsync($"/Wallet?before={cursor}");

        Assert.Contains($"<a href=\"/Wallet?before={cursor}\" role=\"button\"", await shopper.GetHtmlAsync("/Wallet"), StringComparison.Ordinal);
        Assert.Contains("<caption>Transaction history</caption>", fullPage, StringComparison.Ordinal);
        Assert.Equal(6, Descriptions(fullPage).Count);
        Assert.Equal(Descriptions(htmxPage), Descriptions(fullPage));
    }

    [Fact]
    public async Task The_history_handler_sends_a_full_page_request_to_the_wallet_page_for_that_cursor()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.GetAsync("/Wallet?handler=History&before=42");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Wallet?before=42", response.Headers.Location?.OriginalString);
    }

    private static List<string> Descriptions(string html) =>
        DescriptionCell().Matches(html).Select(m => m.Groups[1].Value).ToList();

    private static string? NextCursor(string html) =>
        LoadMoreCursor().Match(html) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("<td>(Top-up [^<]+|Welcome credits)</td>")]
    private static partial Regex DescriptionCell();

    // Htmx.TagHelpers puts the route value before the handler.
    [GeneratedRegex("hx-get=\"/Wallet\\?before=([0-9]+)&amp;handler=History\"")]
    private static partial Regex LoadMoreCursor();
}
