using System.Globalization;
using System.Text;
using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>
/// GET /Wallet/Statement?from=YYYY-MM-DD&amp;to=YYYY-MM-DD downloads the CSV; with format=json (and optionally since=&lt;tree
/// size&gt;) the verifiable statement. A bad range renders this page with the reason (400); no range at all, the form.
/// </summary>
public sealed class StatementModel(StatementQueries statements, VerifiableStatements verifiable) : PageModel
{
    public string? From { get; private set; }

    public string? To { get; private set; }

    public string? Since { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? from, string? to, string? format, string? since)
    {
        From = from;
        To = to;
        Since = since;
        if (from is null && to is null)
        {
            // Followed from a link rather than submitted: the form, with nothing to refuse yet.
            return Page();
        }

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

        if (format == "json")
        {
            return await VerifiableAsync(first, last);
        }

        var statement = await statements.ForRangeAsync(User.UserId(), first, last, HttpContext.RequestAborted);
        var csv = Encoding.UTF8.GetBytes(StatementCsv.Write(statement));
        return File(csv, "text/csv; charset=utf-8", $"statement-{from}-to-{to}.csv");
    }

    private async Task<IActionResult> VerifiableAsync(DateOnly first, DateOnly last)
    {
        long? since = null;
        if (!string.IsNullOrWhiteSpace(Since))
        {
            if (!long.TryParse(Since.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return Refuse("Enter the saved checkpoint's tree size as a whole number, or leave it empty.");
            }

            since = size;
        }

        return await verifiable.BuildAsync(User.UserId(), first, last, since, HttpContext.RequestAborted) switch
        {
            StatementResult.Built built => File(built.Json, "application/json", $"statement-{From}-to-{To}.json"),
            StatementResult.TooManyTransactions tooMany => Refuse($"A verifiable statement carries at most {tooMany.Max:N0} transactions; choose a shorter range."),
            StatementResult.SinceBeyondCheckpoint beyond => Refuse($"The latest checkpoint covers {beyond.TreeSize} transactions, so a checkpoint saved earlier cannot have more. Check the tree size you entered."),
            StatementResult.Unavailable => Refuse("The ledger cannot be checkpointed right now, so no verifiable statement can be made. The operators have been alerted; try again later.", StatusCodes.Status503ServiceUnavailable),
            var other => throw new InvalidOperationException($"Unknown statement result {other}."),
        };
    }

    private PageResult Refuse(string message, int status = StatusCodes.Status400BadRequest)
    {
        Error = message;
        Response.StatusCode = status;
        return Page();
    }

    private static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
