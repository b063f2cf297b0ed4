using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core;

/// <summary>Product settings read once at start; a present but invalid value stops the start with its name.</summary>
public sealed class MarketplaceOptions
{
    public bool DemoPayment { get; init; }

    public Credits WelcomeGrant { get; init; } = Credits.FromWhole(1000);

    /// <summary>Platform commission in basis points (1000 = 10 %).</summary>
    public int CommissionBasisPoints { get; init; } = 1000;

    /// <summary>The site origin used in redirect URLs, mailed links and as the intent audience; null (Development only) means "the request's origin".</summary>
    public Uri? PublicBaseUrl { get; init; }

    public TimeSpan ChallengeLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public CreditPrices CreditPrices { get; init; } = CreditPrices.Default;

    /// <summary>
    /// The one upper bound on every money operation (a top-up, in credits bought; a price or a purchase's total; a
    /// transfer; an admin adjustment): <c>Marketplace:MaxAmount</c>, 1,000,000.00 MC unless configured.
    /// </summary>
    public Credits MaxAmount { get; init; } = DefaultMaxAmount;

    public static readonly Credits DefaultMaxAmount = Credits.FromWhole(1_000_000);

    /// <summary>Open (created or pending) payments one user may have at once, all gateways together (<c>Payments:MaxOpenPayments</c>).</summary>
    public int MaxOpenPayments { get; init; } = 10;

    /// <summary>Open bank transfers one user may have at once (<c>Payments:MaxOpenBankTransfers</c>); they never expire by themselves.</summary>
    public int MaxOpenBankTransfers { get; init; } = 3;

    /// <summary>Products one seller may list (<c>Catalog:MaxListingsPerSeller</c>).</summary>
    public int MaxListingsPerSeller { get; init; } = 100;

    /// <summary>How long a service order's credits stay on hold before they return to the buyer.</summary>
    public TimeSpan HoldExpiry { get; init; } = TimeSpan.FromDays(7);

    public static MarketplaceOptions FromConfiguration(IConfiguration configuration, bool isDevelopment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new MarketplaceOptions
        {
            DemoPayment = ReadBool(configuration, "DEMO_PAYMENT") ?? isDevelopment,
            WelcomeGrant = ReadCredits(configuration, "Marketplace:WelcomeGrant") ?? Credits.FromWhole(1000),
            CommissionBasisPoints = ReadCommission(configuration),
            PublicBaseUrl = ReadOrigin(configuration, "PUBLIC_BASE_URL")
                ?? (isDevelopment ? null : throw new InvalidOperationException(
                    "Configuration 'PUBLIC_BASE_URL' is required outside Development: set it to the site's origin, e.g. https://shop.example.com (links in mail and the audience of every signed intent use it).")),
            CreditPrices = ReadCreditPrices(configuration),
            HoldExpiry = ReadHoldExpiry(configuration),
            MaxAmount = ReadMaxAmount(configuration),
            MaxOpenPayments = ConfigurationValues.PositiveInt(configuration, "Payments:MaxOpenPayments", 10, max: 1000),
            MaxOpenBankTransfers = ConfigurationValues.PositiveInt(configuration, "Payments:MaxOpenBankTransfers", 3, max: 1000),
            MaxListingsPerSeller = ConfigurationValues.PositiveInt(configuration, "Catalog:MaxListingsPerSeller", 100, max: 100_000),
        };
    }

    private static bool? ReadBool(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return bool.TryParse(value, out var parsed) ? parsed : throw Invalid(key, "true or false");
    }

    private static Credits? ReadCredits(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Credits.TryParse(value, out var credits) == AmountParse.Ok ? credits : throw Invalid(key, "a decimal amount such as 1000.00");
    }

    private static int ReadCommission(IConfiguration configuration)
    {
        const string key = "Marketplace:CommissionPercent";
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return 1000;
        }

        // Percent with up to two decimals ("10", "12.5"), held as basis points.
        return DecimalString.TryParseUnits(value, 2, out var basisPoints) == AmountParse.Ok && basisPoints <= 10000
            ? (int)basisPoints
            : throw Invalid(key, "a percentage between 0 and 100");
    }

    private static Uri? ReadOrigin(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.AbsolutePath == "/"
            ? uri
            : throw Invalid(key, "an origin such as https://shop.example.com");
    }

    private static CreditPrices ReadCreditPrices(IConfiguration configuration)
    {
        var section = configuration.GetSection("CreditPrices");
        var values = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase) { ["USD"] = 100, ["EUR"] = 100, ["TZS"] = 2500 };
        foreach (var child in section.GetChildren())
        {
            if (!Currency.TryFind(child.Key, out var currency) || currency == Currency.Credits
                || DecimalString.TryParseUnits(child.Value, currency.Decimals, out var minor) != AmountParse.Ok || minor <= 0)
            {
                throw Invalid($"CreditPrices:{child.Key}", "the price of one credit in that currency, e.g. 1.00");
            }

            values[currency.Code] = minor;
        }

        return new CreditPrices(values);
    }

    private static Credits ReadMaxAmount(IConfiguration configuration)
    {
        const string key = "Marketplace:MaxAmount";
        return ReadCredits(configuration, key) is not { } max ? DefaultMaxAmount
            : max.Units > 0 && max.Units <= Ledger.Posting.MaxLineUnits ? max
            : throw Invalid(key, "a positive amount of credits such as 1000000.00");
    }

    /// <summary>The problem with an amount above <see cref="MaxAmount"/>, or null; every money input asks this.</summary>
    public bool Exceeds(Credits amount) => amount > MaxAmount || -amount.Units > MaxAmount.Units;

    private static TimeSpan ReadHoldExpiry(IConfiguration configuration)
    {
        const string key = "Marketplace:HoldExpiryDays";
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return TimeSpan.FromDays(7);
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 365
            ? TimeSpan.FromDays(days)
            : throw Invalid(key, "a whole number of days from 1 to 365");
    }

    private static InvalidOperationException Invalid(string key, string expected) => ConfigurationValues.Invalid(key, expected);

    public string Origin(Uri requestOrigin) => (PublicBaseUrl ?? requestOrigin).GetLeftPart(UriPartial.Authority);

    public Credits Commission(Credits price) => new(price.Units * CommissionBasisPoints / 10000);

    public static string FormatPercent(int basisPoints) => DecimalString.Format(basisPoints, 2).TrimEnd('0').TrimEnd('.') + " %";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"demo={DemoPayment}, commission={CommissionBasisPoints}bp");
}
