using System.Globalization;
using System.Text;
using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>GET /Wallet/Statement?from=YYYY-MM-DD&amp;to=YYYY-MM-DD downloads the CSV; a bad range renders this page with the reason (400).</summary>
public sealed class StatementModel(StatementQueries statements) : PageModel
{
    public string? From { get; private set; }

    public string? To { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? from, string? to)
    {
        From = from;
        To = to;
        if (!TryParseDay(from, out var first) || !TryParseDay(to, out var last))
        {
            return Refuse("Enter both dates as YYYY-MM-DD.");
        }

        if (last < first)
        {
            return Refuse("The To date must not be before the From date.");
        }

        if (last.DayNumber - first.DayNumber + 1 > StatementQueries.MaxDays)
        {
            return Refuse($"A statement covers at most {StatementQueries.MaxDays} days; choose a shorter range.");
        }

        var statement = await statements.ForRangeAsync(User.UserId(), first, last, HttpContext.RequestAborted);
        var csv = Encoding.UTF8.GetBytes(StatementCsv.Write(statement));
        return File(csv, "text/csv; charset=utf-8", $"statement-{from}-to-{to}.csv");
    }

    private PageResult Refuse(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
