using System.Net;
using System.Text;
using Marketplace.Core;
using Marketplace.Core.Ledger;
using Marketplace.Web.Pages.Wallet;
using Marketplace.Web.Tests.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Wallet;

public sealed class WhenDownloadingAStatement(AppWithTestClock app) : IClassFixture<AppWithTestClock>
{
    [Fact]
    public async Task The_amounts_add_up_to_the_balance_change_over_the_range()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var firstDay = Today();
        var endOfFirstDay = await AvailableUnitsAsync(shopper);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await shopper.PaidTopUpsAsync(2);
        await HoldAsync(shopper.UserId, 250, "order 7, \"gift wrap\"");
        app.Clock.Advance(TimeSpan.FromDays(1));
        await shopper.PaidTopUpsAsync(3);
        var lastDay = Today();
        var endOfLastDay = await AvailableUnitsAsync(shopper);

        var rows = await DownloadAsync(shopper, firstDay.AddDays(1), lastDay);

        Assert.Equal(6, rows.Count);
        Assert.Equal(endOfLastDay - endOfFirstDay, rows.Sum(r => Units(r["amount"])));
        Assert.Equal(endOfLastDay, Units(rows[^1]["running_balance"]));
        Assert.Equal(endOfFirstDay, Units(rows[0]["running_balance"]) - Units(rows[0]["amount"]));
        Assert.Contains(rows, r => r["kind"] == "hold" && r["amount"] == "-2.50" && r["description"] == "Hold for order 7, \"gift wrap\"");
        Assert.All(rows, r => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", r["date"]));
    }

    [Fact]
    public async Task A_range_before_any_activity_is_an_empty_statement_and_one_day_holds_that_days_lines()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var today = Today();

        var before = await DownloadAsync(shopper, today.AddDays(-10), today.AddDays(-1));
        var todays = await DownloadAsync(shopper, today, today);

        Assert.Empty(before);
        var grant = Assert.Single(todays);
        Assert.Equal("welcome_grant", grant["kind"]);
        Assert.Equal("1000.00", grant["amount"]);
        Assert.Equal("1000.00", grant["running_balance"]);
    }

    [Theory]
    [InlineData("2026-11-10", "2026-11-01", "must not be before")]
    [InlineData("2026-11-01", "", "YYYY-MM-DD")]
    [InlineData("01/11/2026", "2026-11-02", "YYYY-MM-DD")]
    [InlineData("2024-01-01", "2026-01-01", "at most 366 days")]
    public async Task A_bad_range_is_refused_with_the_reason(string from, string to, string reason)
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.GetAsync($"/Wallet/Statement?from={from}&to={to}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc", 400, "whole number")]
    [InlineData("-1", 400, "whole number")]
    [InlineData("99999999999999999999", 400, "whole number")]
    [InlineData("999999999", 400, "cannot have more")]
    public async Task A_verifiable_statement_since_a_saved_checkpoint_needs_a_tree_size_the_ledger_has_reached(string since, int status, string reason)
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var today = Today();

        using var response = await shopper.GetAsync($"/Wallet/Statement?from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}&format=json&since={since}");

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wallet_and_the_statement_page_offer_the_verifiable_statement()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var wallet = await shopper.GetHtmlAsync("/Wallet");
        var page = await shopper.GetHtmlAsync("/Wallet/Statement");

        Assert.Contains("name=\"format\" value=\"json\">Download verifiable statement (JSON)</button>", wallet, StringComparison.Ordinal);
        Assert.Contains("name=\"format\" value=\"json\">Download verifiable statement (JSON)</button>", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"statement_since\">Tree size of a checkpoint you saved earlier (optional)</label>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_signed_out_is_sent_to_log_in()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/Wallet/Statement?from=2026-01-01&to=2026-01-31", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location?.AbsolutePath);
    }

    [Theory]
    [InlineData("Top up", "Top up")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    public void Text_fields_are_quoted_and_formulas_defused(string text, string field) =>
        Assert.Equal(field, StatementCsv.Field(text));

    private DateOnly Today() => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);

    private async Task HoldAsync(Guid userId, long units, string reference)
    {
        using var scope = app.Services.CreateScope();
        var holds = scope.ServiceProvider.GetRequiredService<HoldService>();
        Assert.IsType<HoldResult.Done>(await holds.ReserveAsync(Guid.NewGuid(), userId, units, reference, app.Clock.GetUtcNow().UtcDateTime.AddDays(7)));
    }

    private static async Task<long> AvailableUnitsAsync(WebShopper shopper) => Units(await shopper.AvailableBalanceAsync());

    private static long Units(string amount)
    {
        var negative = amount.StartsWith('-');
        Assert.Equal(AmountParse.Ok, DecimalString.TryParseUnits(negative ? amount[1..] : amount, 2, out var units));
        return negative ? -units : units;
    }

    private static async Task<List<Dictionary<string, string>>> DownloadAsync(WebShopper shopper, DateOnly from, DateOnly to)
    {
        using var response = await shopper.GetAsync($"/Wallet/Statement?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var records = ParseCsv(await response.Content.ReadAsStringAsync());
        Assert.Equal(["date", "kind", "description", "amount", "running_balance"], records[0]);
        return records.Skip(1).Select(r => records[0].Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    /// <summary>An RFC 4180 reader written independently of the app's writer.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.Empty(field.ToString());
        Assert.Empty(record);
        return records;
    }
}
