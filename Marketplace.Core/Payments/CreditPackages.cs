using System.Globalization;
using System.Text.RegularExpressions;
using Marketplace.Core.Settings;
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
/// A package setting that is present but invalid stops the start with a message naming it.
/// </summary>
public sealed partial class CreditPackageOptions : ISettings<CreditPackageOptions>
{
    public const string Key = "Packages";

    public const int MaxIdLength = 40;

    public const int MaxNameLength = 40;

    private List<CreditPackage> _packages = [];

    public static CreditPackageOptions None { get; } = new();

    public static string Section => string.Empty;

    /// <summary>The packages as configured, by their number.</summary>
    [ConfigurationKeyName(Key)]
    public Dictionary<string, CreditPackageSetting> Entries { get; init; } = [];

    /// <summary>Read from <see cref="Entries"/> when the settings are validated.</summary>
    public IReadOnlyList<CreditPackage> All => _packages;

    /// <summary>The package with this id (any case, surrounding spaces ignored), or null.</summary>
    public CreditPackage? Find(string? id) =>
        id is null ? null : All.FirstOrDefault(p => string.Equals(p.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var limits = check.Read<MarketplaceOptions>();
        var packages = new List<CreditPackage>();
        var firstKeyOfId = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (number, entry) in Entries)
        {
            var at = $"{Key}:{number}";
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                check.NotAccepted(at, $"packages are numbered: {Key}__0__Id, {Key}__1__Id, …");
                continue;
            }

            if (entry.Id is { } id && firstKeyOfId.TryGetValue(id, out var first))
            {
                check.NotAccepted($"{at}:Id", $"'{id}' is the id of {SettingName.Of(first)} already; package ids must be unique");
                continue;
            }

            if (Read(entry, at, limits, check) is { } package)
            {
                firstKeyOfId[package.Id] = $"{at}:Id";
                packages.Add(package);
            }
        }

        _packages = packages;
    }

    private static CreditPackage? Read(CreditPackageSetting entry, string at, MarketplaceOptions limits, SettingChecks check)
    {
        var failures = check.Failures.Count;
        var id = entry.Id;
        if (id is null)
        {
            check.Missing($"{at}:Id", "a package needs an id such as popular");
        }
        else if (!IdPattern().IsMatch(id))
        {
            check.Invalid($"{at}:Id", $"an id of lowercase letters, digits, '-' and '_' (at most {MaxIdLength} characters), such as popular");
        }

        var name = entry.Name ?? (id is { Length: > 0 } ? char.ToUpperInvariant(id[0]) + id[1..] : string.Empty);
        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            check.Invalid($"{at}:Name", $"a name of at most {MaxNameLength} characters without control characters, such as Popular");
        }

        var credits = entry.Credits ?? Credits.Zero;
        var bonus = entry.BonusPercent?.BasisPoints ?? 0;
        if (entry.Credits is null)
        {
            check.Missing($"{at}:Credits", "a package needs the credits it buys, such as 500.00");
        }
        else if (credits.Units <= 0)
        {
            check.Invalid($"{at}:Credits", "a positive amount of credits such as 500.00");
        }
        else if (credits + CreditPackage.BonusFor(credits, bonus) is var total && total > limits.MaxAmount)
        {
            check.Invalid($"{at}:Credits", $"credits that with the bonus ({total.ToDisplayString()} in all) stay within Marketplace__MaxAmount ({limits.MaxAmount.ToDisplayString()})");
        }

        var prices = new List<Money>();
        foreach (var (code, text) in entry.Prices)
        {
            var key = $"{at}:Prices:{code}";
            if (!Currency.TryFind(code, out var currency) || currency == Currency.Credits || !limits.CreditPrices.Supports(currency))
            {
                check.NotAccepted(key, "it names no currency sold here; prices are in USD, EUR or TZS");
            }
            else if (Money.TryParse(text, currency, out var amount) != AmountParse.Ok || amount.Minor <= 0)
            {
                check.Invalid(key, $"the package's positive price in {currency.Code}, with at most {currency.Decimals} decimal places");
            }
            else
            {
                prices.Add(amount);
            }
        }

        if (entry.Prices.Count == 0)
        {
            check.Missing($"{at}:Prices", $"a package needs a price in each currency the package is sold in, such as {SettingName.Of(at)}__Prices__USD=44.99");
        }

        return check.Failures.Count == failures ? new CreditPackage(id!, name, credits, bonus, prices) : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex IdPattern();
}

/// <summary>One package as configured (<c>Packages__N__…</c>).</summary>
public sealed class CreditPackageSetting
{
    public string? Id { get; init; }

    /// <summary>Defaults to the id, capitalised.</summary>
    public string? Name { get; init; }

    public Credits? Credits { get; init; }

    public Percent? BonusPercent { get; init; }

    /// <summary>The price in each currency it is sold in, by currency code: amounts in a currency's own decimals.</summary>
    public Dictionary<string, string> Prices { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
