using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Payments.BankTransfer;

/// <summary>
/// The platform's bank account shown to shoppers (BANK_NAME, BANK_ACCOUNT_NAME, BANK_ACCOUNT_NUMBER,
/// BANK_SWIFT_CODE) and the smallest transfer taken (Bank:MinimumAmount, in USD). Bank transfer is offered
/// only when all four details are set; some but not all, or a malformed SWIFT code, stops the start.
/// </summary>
public sealed partial class BankTransferOptions
{
    public static readonly Money DefaultMinimum = new(1000_00, Currency.Usd);

    private static readonly string[] DetailKeys = ["BANK_NAME", "BANK_ACCOUNT_NAME", "BANK_ACCOUNT_NUMBER", "BANK_SWIFT_CODE"];

    public required string BankName { get; init; }

    public required string AccountName { get; init; }

    public required string AccountNumber { get; init; }

    public required string SwiftCode { get; init; }

    /// <summary>In USD; a transfer in another currency must buy at least as many credits as this does.</summary>
    public Money Minimum { get; init; } = DefaultMinimum;

    /// <summary>The configured account, or null when no bank detail is set (the gateway is then not offered).</summary>
    public static BankTransferOptions? FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = DetailKeys.ToDictionary(k => k, k => configuration[k]?.Trim());
        if (values.Values.All(string.IsNullOrEmpty))
        {
            return null;
        }

        if (values.FirstOrDefault(v => string.IsNullOrEmpty(v.Value)).Key is { } missing)
        {
            throw new InvalidOperationException($"Configuration '{missing}' is missing: bank transfer needs BANK_NAME, BANK_ACCOUNT_NAME, BANK_ACCOUNT_NUMBER and BANK_SWIFT_CODE together.");
        }

        var swift = values["BANK_SWIFT_CODE"]!.ToUpperInvariant();
        if (!SwiftPattern().IsMatch(swift))
        {
            throw new InvalidOperationException("Configuration 'BANK_SWIFT_CODE' is set but invalid: expected a SWIFT/BIC code of 8 or 11 letters and digits, such as DEUTDEFF or DEUTDEFF500.");
        }

        return new BankTransferOptions
        {
            BankName = values["BANK_NAME"]!,
            AccountName = values["BANK_ACCOUNT_NAME"]!,
            AccountNumber = values["BANK_ACCOUNT_NUMBER"]!,
            SwiftCode = swift,
            Minimum = ReadMinimum(configuration),
        };
    }

    private static Money ReadMinimum(IConfiguration configuration)
    {
        const string key = "Bank:MinimumAmount";
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultMinimum;
        }

        return Money.TryParse(text, Currency.Usd, out var minimum) == AmountParse.Ok && minimum.Minor > 0
            ? minimum
            : throw new InvalidOperationException($"Configuration '{key.Replace(":", "__", StringComparison.Ordinal)}' is set but invalid: expected a positive USD amount such as 1000.00.");
    }

    // Bank (4 letters), country (2 letters), location (2), optional branch (3).
    [GeneratedRegex("^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")]
    private static partial Regex SwiftPattern();
}
