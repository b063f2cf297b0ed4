using System.Text.RegularExpressions;
using Marketplace.Core.Settings;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Payments.BankTransfer;

/// <summary>
/// The platform's bank account shown to shoppers (BANK_NAME, BANK_ACCOUNT_NAME, BANK_ACCOUNT_NUMBER,
/// BANK_SWIFT_CODE) and the smallest transfer taken (Bank:MinimumAmount, in USD). Bank transfer is offered
/// only when all four details are set; some but not all, or a malformed SWIFT code, stops the start.
/// </summary>
public sealed partial class BankTransferOptions : ISettings<BankTransferOptions>
{
    public static readonly Money DefaultMinimum = new(1000_00, Currency.Usd);

    private readonly string _swiftCode = string.Empty;

    private Money? _minimum;

    public static string Section => string.Empty;

    [ConfigurationKeyName("BANK_NAME")]
    public string BankName { get; init; } = string.Empty;

    [ConfigurationKeyName("BANK_ACCOUNT_NAME")]
    public string AccountName { get; init; } = string.Empty;

    [ConfigurationKeyName("BANK_ACCOUNT_NUMBER")]
    public string AccountNumber { get; init; } = string.Empty;

    /// <summary>Upper case, however it was written.</summary>
    [ConfigurationKeyName("BANK_SWIFT_CODE")]
    public string SwiftCode
    {
        get => _swiftCode;
        init => _swiftCode = value.ToUpperInvariant();
    }

    /// <summary>The smallest transfer as configured, a USD amount such as 1000.00.</summary>
    [ConfigurationKeyName("Bank:MinimumAmount")]
    public string? MinimumAmount { get; init; }

    /// <summary>In USD; a transfer in another currency must buy at least as many credits as this does.</summary>
    public Money Minimum => _minimum ?? DefaultMinimum;

    /// <summary>Bank transfer is offered only when the bank details are set.</summary>
    public bool IsConfigured => Details.All(d => d.Value.Length > 0);

    private IEnumerable<(string Property, string Value)> Details =>
        [(nameof(BankName), BankName), (nameof(AccountName), AccountName), (nameof(AccountNumber), AccountNumber), (nameof(SwiftCode), SwiftCode)];

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (MinimumAmount is not null)
        {
            if (Money.TryParse(MinimumAmount, Currency.Usd, out var minimum) == AmountParse.Ok && minimum.Minor > 0)
            {
                _minimum = minimum;
            }
            else
            {
                check.Invalid(check.Key(nameof(MinimumAmount)), "a positive USD amount such as 1000.00");
            }
        }

        if (Details.All(d => d.Value.Length == 0))
        {
            return;
        }

        if (Details.FirstOrDefault(d => d.Value.Length == 0) is { Property: not null } missing)
        {
            check.Missing(check.Key(missing.Property), "bank transfer needs BANK_NAME, BANK_ACCOUNT_NAME, BANK_ACCOUNT_NUMBER and BANK_SWIFT_CODE together");
        }
        else if (!SwiftPattern().IsMatch(SwiftCode))
        {
            check.Invalid(check.Key(nameof(SwiftCode)), "a SWIFT/BIC code of 8 or 11 letters and digits, such as DEUTDEFF or DEUTDEFF500");
        }
    }

    // Bank (4 letters), country (2 letters), location (2), optional branch (3).
    [GeneratedRegex("^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")]
    private static partial Regex SwiftPattern();
}
