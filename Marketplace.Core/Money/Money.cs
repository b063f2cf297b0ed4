namespace Marketplace.Core;

/// <summary>A fiat amount in the minor units of its currency (cents for USD, shillings for TZS).</summary>
public readonly record struct Money
{
    public Money(long minor, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        Minor = minor;
        Currency = currency;
    }

    public long Minor { get; }

    public Currency Currency { get; }

    public static AmountParse TryParse(string? text, Currency currency, out Money money)
    {
        ArgumentNullException.ThrowIfNull(currency);
        var result = DecimalString.TryParseUnits(text, currency.Decimals, out var minor);
        money = new Money(minor, currency);
        return result;
    }

    public string ToDecimalString() => DecimalString.Format(Minor, Currency.Decimals);

    public string ToDisplayString() => $"{DecimalString.Format(Minor, Currency.Decimals, grouping: true)} {Currency.Code}";

    public override string ToString() => ToDisplayString();
}
