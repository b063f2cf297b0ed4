namespace Marketplace.Core;

/// <summary>An ISO-4217 fiat currency (or MC) with the number of decimal places its minor unit has.</summary>
public sealed record Currency
{
    public static readonly Currency Credits = new("MC", 2);
    public static readonly Currency Usd = new("USD", 2);
    public static readonly Currency Eur = new("EUR", 2);
    public static readonly Currency Tzs = new("TZS", 0);

    private static readonly Dictionary<string, Currency> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        [Credits.Code] = Credits,
        [Usd.Code] = Usd,
        [Eur.Code] = Eur,
        [Tzs.Code] = Tzs,
    };

    private Currency(string code, int decimals)
    {
        Code = code;
        Decimals = decimals;
    }

    public string Code { get; }

    public int Decimals { get; }

    public static IReadOnlyCollection<Currency> All => Known.Values;

    public static bool TryFind(string? code, out Currency currency)
    {
        currency = null!;
        return code is not null && Known.TryGetValue(code.Trim(), out currency!);
    }

    public static Currency Find(string code) =>
        TryFind(code, out var currency) ? currency : throw new ArgumentException($"Unknown currency '{code}'.", nameof(code));

    public override string ToString() => Code;
}
