using System.Text.RegularExpressions;
using Marketplace.Core;
using Marketplace.Core.Ledger;
using Marketplace.Web.Pages.Wallet;
using Marketplace.Web.Tests.Auth;

namespace Marketplace.Web.Tests.Wallet;

public sealed partial class WhenViewingTheBalanceChart(AppWithTestClock app) : IClassFixture<AppWithTestClock>
{
    [Fact]
    public async Task The_wallet_draws_thirty_days_of_balance_with_a_text_alternative()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        app.Clock.Advance(TimeSpan.FromDays(2));
        await shopper.PaidTopUpsAsync(3);
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);

        var html = await shopper.GetHtmlAsync("/Wallet");

        Assert.Matches("<svg role=\"img\" aria-labelledby=\"balance-chart-title\" aria-describedby=\"balance-chart-desc\"", html);
        Assert.Contains("<title id=\"balance-chart-title\">Available balance, last 30 days</title>", html, StringComparison.Ordinal);
        var summary = $"From {today.AddDays(-29):yyyy-MM-dd} to {today:yyyy-MM-dd} your available balance went from 0.00 MC to 1,006.00 MC; lowest 0.00 MC, highest 1,006.00 MC.";
        Assert.Contains($"<figcaption>{summary}</figcaption>", html, StringComparison.Ordinal);
        var points = Points().Match(html).Groups[1].Value.Split(' ').Select(p => p.Split(',').Select(int.Parse).ToArray()).ToList();
        Assert.Equal(31, points.Count);
        Assert.Equal(BalanceChart.PlotBottom, points[0][1]);
        Assert.Equal(BalanceChart.PlotTop, points[^1][1]);
        // Registered two days ago with the 1,000.00 welcome grant: that day's point sits almost at the top.
        Assert.InRange(points[^3][1], BalanceChart.PlotTop, BalanceChart.PlotTop + 2);
        Assert.True(points.Zip(points.Skip(1)).All(p => p.First[0] < p.Second[0]), "x must increase day by day");
    }

    [Fact]
    public async Task The_line_starts_at_the_balance_carried_in_from_before_the_thirty_days()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        // Ten days at a time, each visit keeping the session alive, until the welcome grant is older than the chart.
        for (var visit = 0; visit < 4; visit++)
        {
            app.Clock.Advance(TimeSpan.FromDays(10));
            await shopper.GetHtmlAsync("/Wallet");
        }

        // No entry in the thirty days: the opening balance comes from before them.
        Assert.Contains("your available balance went from 1,000.00 MC to 1,000.00 MC;", await shopper.GetHtmlAsync("/Wallet"), StringComparison.Ordinal);

        await shopper.PaidTopUpsAsync(1);

        // One entry in them: the opening is that entry's balance before it.
        Assert.Contains("your available balance went from 1,000.00 MC to 1,001.00 MC;", await shopper.GetHtmlAsync("/Wallet"), StringComparison.Ordinal);
    }

    [Fact]
    public void Coordinates_stay_exact_for_the_largest_balances()
    {
        var max = new Credits(4_000_000_000_000_000_000);
        var chart = BalanceChart.From([new(new DateOnly(2026, 1, 1), Credits.Zero), new(new DateOnly(2026, 1, 2), new Credits(max.Units / 2)), new(new DateOnly(2026, 1, 3), max)]);

        Assert.Equal(BalanceChart.PlotBottom, chart.Y(Credits.Zero));
        Assert.Equal(BalanceChart.PlotTop, chart.Y(max));
        Assert.Equal((BalanceChart.PlotTop + BalanceChart.PlotBottom) / 2, chart.Y(new Credits(max.Units / 2)));
    }

    [Fact]
    public void A_flat_balance_is_a_level_line_in_the_middle()
    {
        var chart = BalanceChart.From([new DailyBalance(new DateOnly(2026, 1, 1), Credits.FromWhole(5)), new DailyBalance(new DateOnly(2026, 1, 2), Credits.FromWhole(5))]);

        Assert.Equal($"{BalanceChart.PlotLeft},{chart.Y(Credits.FromWhole(5))} {BalanceChart.PlotRight},{chart.Y(Credits.FromWhole(5))}", chart.PolylinePoints());
        Assert.Equal((BalanceChart.PlotTop + BalanceChart.PlotBottom) / 2, chart.Y(Credits.FromWhole(5)));
    }

    [GeneratedRegex("<polyline class=\"balance-chart-line\" points=\"([^\"]+)\"")]
    private static partial Regex Points();
}
