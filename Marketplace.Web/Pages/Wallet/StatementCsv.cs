using System.Globalization;
using System.Text;
using Marketplace.Core.Ledger;
using Marketplace.Core.Text;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>
/// A statement as RFC 4180 CSV: date (UTC, ISO 8601), kind (as the API names it), description, amount and
/// running balance as decimal strings. Text that a spreadsheet would run as a formula is defused with a leading quote.
/// </summary>
public static class StatementCsv
{
    public const string Header = "date,kind,description,amount,running_balance";

    public static string Write(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var csv = new StringBuilder().Append(Header).Append("\r\n");
        foreach (var line in statement.Lines)
        {
            csv.Append(line.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append(WireName.Of(line.Kind)).Append(',')
                .Append(Field(line.Description)).Append(',')
                .Append(line.Amount.ToDecimalString()).Append(',')
                .Append(line.RunningBalance.ToDecimalString()).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>Quotes a text field when it holds a comma, quote or line break, doubling inner quotes.</summary>
    public static string Field(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : text;
    }
}
