using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Payments;

/// <summary>
/// A top-up package: a fixed number of credits for a fixed price in each currency it is sold in, optionally with bonus
/// credits on top (granted from the promotions account, not bought). A payment copies what it needs of its package when
/// it is created, so a later change of configuration never changes a payment already made.
/// </summary>
public sealed record CreditPackage(string Id, string Name, Credits Credits, int BonusBasisPoints, IReadOnlyList<Money> Prices)
{
    /// <summary>Rounded down to a whole credit unit, like every conversion that grants credits.</summary>
    public Credits Bonus => BonusFor(Credits, BonusBasisPoints);

    /// <summary>What the wallet receives in all: the credits bought and the bonus.</summary>
    public Credits Total => Credits + Bonus;

    public Money? PriceIn(Currency currency) => Prices.Cast<Money?>().FirstOrDefault(p => p!.Value.Currency == currency);

    public static Credits BonusFor(Credits credits, int basisPoints) => new((long)((Int128)credits.Units * basisPoints / 10_000));

    /// <summary>
    /// What one credit of the whole grant (bonus included) costs in <paramref name="price"/>'s currency, as a decimal
    /// string with two more places than the currency has ("0.0818" USD, "204.50" TZS), rounded half up.
    /// </summary>
    public string PricePerCredit(Money price)
    {
        var decimals = price.Currency.Decimals + 2;
        // minor per unit × 100 units per credit × 100 for the two extra places, in integers throughout.
        var scaled = ((Int128)price.Minor * 10_000 * 2 + Total.Units) / (2 * (Int128)Total.Units);
        return DecimalString.Format((long)scaled, decimals);
    }
}

/// <summary>
/// The configured packages (<c>Packages__0__Id=popular</c>, <c>__Name</c>, <c>__Credits=500.00</c>,
/// <c>__BonusPercent=10</c>, <c>__Prices__USD=44.99</c>, …), in configuration order. None are configured by default.
/// Read once at start: a package setting that is present but invalid stops the start with a message naming it.
/// </summary>
public sealed partial class CreditPackageOptions
{
    public const string Section = "Packages";

    public const int MaxIdLength = 40;

    public const int MaxNameLength = 40;

    private static readonly string[] Keys = ["Id", "Name", "Credits", "BonusPercent", "Prices"];

    public static CreditPackageOptions None { get; } = new([]);

    public CreditPackageOptions(IReadOnlyList<CreditPackage> packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
        All = packages;
    }

    public IReadOnlyList<CreditPackage> All { get; }

    /// <summary>The package with this id (any case, surrounding spaces ignored), or null.</summary>
    public CreditPackage? Find(string? id) =>
        id is null ? null : All.FirstOrDefault(p => string.Equals(p.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));

    public static CreditPackageOptions FromConfiguration(IConfiguration configuration, MarketplaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var packages = new List<CreditPackage>();
        var firstKeyOfId = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            var at = $"{Section}:{entry.Key}";
            if (!int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw Problem(at, $"packages are numbered: {Section}__0__Id, {Section}__1__Id, …");
            }

            if (entry.GetChildren().FirstOrDefault(c => !Keys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)) is { } unknown)
            {
                throw Problem($"{at}:{unknown.Key}", $"it is not a package setting; a package has {string.Join(", ", Keys)}");
            }

            if (ConfigurationValues.Text(entry, "Id") is { } id && firstKeyOfId.TryGetValue(id, out var first))
            {
                throw Problem($"{at}:Id", $"'{id}' is the id of {Name(first)} already; package ids must be unique");
            }

            var package = Read(entry, at, options);

            firstKeyOfId[package.Id] = $"{at}:Id";
            packages.Add(package);
        }

        return new CreditPackageOptions(packages);
    }

    private static CreditPackage Read(IConfigurationSection entry, string at, MarketplaceOptions options)
    {
        var id = ConfigurationValues.Text(entry, "Id") ?? throw Missing($"{at}:Id", "an id such as popular");
        if (!IdPattern().IsMatch(id))
        {
            throw ConfigurationValues.Invalid($"{at}:Id", $"an id of lowercase letters, digits, '-' and '_' (at most {MaxIdLength} characters), such as popular");
        }

        var name = ConfigurationValues.Text(entry, "Name") ?? char.ToUpperInvariant(id[0]) + id[1..];
        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw ConfigurationValues.Invalid($"{at}:Name", $"a name of at most {MaxNameLength} characters without control characters, such as Popular");
        }

        var creditsText = ConfigurationValues.Text(entry, "Credits") ?? throw Missing($"{at}:Credits", "the credits the package buys, such as 500.00");
        if (Credits.TryParse(creditsText, out var credits) != AmountParse.Ok || credits.Units <= 0)
        {
            throw ConfigurationValues.Invalid($"{at}:Credits", "a positive amount of credits such as 500.00");
        }

        var bonusBasisPoints = 0;
        if (ConfigurationValues.Text(entry, "BonusPercent") is { } bonusText)
        {
            // Percent with up to two decimals ("10", "12.5"), held as basis points.
            if (DecimalString.TryParseUnits(bonusText, 2, out var basisPoints) != AmountParse.Ok || basisPoints > 10_000)
            {
                throw ConfigurationValues.Invalid($"{at}:BonusPercent", "a percentage from 0 to 100 such as 10");
            }

            bonusBasisPoints = (int)basisPoints;
        }

        var total = credits + CreditPackage.BonusFor(credits, bonusBasisPoints);
        if (total > options.MaxAmount)
        {
            throw ConfigurationValues.Invalid($"{at}:Credits", $"credits that with the bonus ({total.ToDisplayString()} in all) stay within Marketplace__MaxAmount ({options.MaxAmount.ToDisplayString()})");
        }

        var prices = new List<Money>();
        foreach (var price in entry.GetSection("Prices").GetChildren())
        {
            var key = $"{at}:Prices:{price.Key}";
            if (!Currency.TryFind(price.Key, out var currency) || currency == Currency.Credits || !options.CreditPrices.Supports(currency))
            {
                throw Problem(key, "it names no currency sold here; prices are in USD, EUR or TZS");
            }

            if (Money.TryParse(price.Value, currency, out var amount) != AmountParse.Ok || amount.Minor <= 0)
            {
                throw ConfigurationValues.Invalid(key, $"the package's positive price in {currency.Code}, with at most {currency.Decimals} decimal places");
            }

            prices.Add(amount);
        }

        if (prices.Count == 0)
        {
            throw Missing($"{at}:Prices", $"a price in each currency the package is sold in, such as {Name(at)}__Prices__USD=44.99");
        }

        return new CreditPackage(id, name, credits, bonusBasisPoints, prices);
    }

    private static string Name(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static InvalidOperationException Missing(string key, string needed) =>
        new($"Configuration '{Name(key)}' is missing: a package needs {needed}.");

    private static InvalidOperationException Problem(string key, string why) =>
        new($"Configuration '{Name(key)}' is not accepted: {why}.");

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex IdPattern();
}
