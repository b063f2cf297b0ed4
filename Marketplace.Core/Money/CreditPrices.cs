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

    /// <summary>
    /// Rounds down; saturates at the largest <see cref="Credits"/> instead of overflowing, so an absurd amount converts to
    /// something every caller's upper bound (<see cref="MarketplaceOptions.MaxAmount"/>) refuses.
    /// </summary>
    public Credits ToCredits(Money money)
    {
        var minorPerCredit = _minorPerCredit[money.Currency.Code];
        var units = (Int128)money.Minor * 100 / minorPerCredit;
        return new Credits(units > long.MaxValue ? long.MaxValue : units < long.MinValue ? long.MinValue : (long)units);
    }

    /// <summary>
    /// What <paramref name="credits"/> cost in <paramref name="currency"/>, rounded up to the currency's minor unit so
    /// that paying it buys at least that many credits (the inverse of <see cref="ToCredits"/>, which rounds down).
    /// </summary>
    public Money CostOf(Credits credits, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        var minorPerCredit = _minorPerCredit[currency.Code];
        var units = (Int128)Math.Max(credits.Units, 0) * minorPerCredit;
        var minor = (units + 99) / 100;
        return new Money(minor > long.MaxValue ? long.MaxValue : (long)minor, currency);
    }
}
