namespace Marketplace.Core;

/// <summary>
/// How many fiat minor units buy one credit, per currency (configuration "CreditPrices":
/// default 1 USD = 1 MC, 1 EUR = 1 MC, 2,500 TZS = 1 MC). Conversion is integer arithmetic
/// rounding down, so a top-up never grants a fraction of a credit unit it was not paid for.
/// </summary>
public sealed class CreditPrices
{
    private readonly Dictionary<string, long> _minorPerCredit;

    public CreditPrices(IReadOnlyDictionary<string, long> minorPerCredit)
    {
        ArgumentNullException.ThrowIfNull(minorPerCredit);
        foreach (var (code, minor) in minorPerCredit)
        {
            if (!Currency.TryFind(code, out _) || minor <= 0)
            {
                throw new ArgumentException($"CreditPrices:{code} must name a known currency and be a positive number of minor units.", nameof(minorPerCredit));
            }
        }

        _minorPerCredit = new Dictionary<string, long>(minorPerCredit, StringComparer.OrdinalIgnoreCase);
    }

    public static CreditPrices Default { get; } = new(new Dictionary<string, long> { ["USD"] = 100, ["EUR"] = 100, ["TZS"] = 2500 });

    public bool Supports(Currency currency) => _minorPerCredit.ContainsKey(currency.Code);

    public Credits ToCredits(Money money)
    {
        var minorPerCredit = _minorPerCredit[money.Currency.Code];
        return new Credits(checked(money.Minor * 100) / minorPerCredit);
    }
}
