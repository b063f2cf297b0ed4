using System.Globalization;
using Marketplace.Core.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Core;

/// <summary>The product's settings: demo mode, the site's origin, the welcome grant and commission, credit prices and the limits every request is held to.</summary>
public sealed class MarketplaceOptions : ISettings<MarketplaceOptions>
{
    public static readonly Credits DefaultMaxAmount = Credits.FromWhole(1_000_000);

    private static readonly Dictionary<string, string> DefaultCreditPrices = new() { ["USD"] = "1.00", ["EUR"] = "1.00", ["TZS"] = "2500" };

    private CreditPrices? _creditPrices;

    public static string Section => string.Empty;

    /// <summary>Offers the Demo gateway and grants <see cref="WelcomeGrant"/> to new accounts; on in Development unless set.</summary>
    [ConfigurationKeyName("DEMO_PAYMENT")]
    public bool DemoPayment { get; set; }

    [ConfigurationKeyName("Marketplace:WelcomeGrant")]
    public Credits WelcomeGrant { get; init; } = Credits.FromWhole(1000);

    [ConfigurationKeyName("Marketplace:CommissionPercent")]
    public Percent CommissionRate { get; init; } = new(1000);

    /// <summary>Platform commission in basis points (1000 = 10 %).</summary>
    public int CommissionBasisPoints => CommissionRate.BasisPoints;

    /// <summary>The site origin used in redirect URLs, mailed links and as the intent audience; null (Development only) means "the request's origin".</summary>
    [ConfigurationKeyName("PUBLIC_BASE_URL")]
    public Uri? PublicBaseUrl { get; init; }

    public TimeSpan ChallengeLifetime { get; } = TimeSpan.FromMinutes(5);

    /// <summary>The price of one credit per currency as configured (<c>CreditPrices__USD=1.00</c>), over the defaults.</summary>
    [ConfigurationKeyName("CreditPrices")]
    public Dictionary<string, string> CreditPriceSettings { get; init; } = new(DefaultCreditPrices, StringComparer.OrdinalIgnoreCase);

    /// <summary>Parsed from <see cref="CreditPriceSettings"/> when the settings are validated.</summary>
    public CreditPrices CreditPrices => _creditPrices ?? CreditPrices.Default;

    /// <summary>
    /// The one upper bound on every money operation (a top-up, in credits bought; a price or a purchase's total; a
    /// transfer; an admin adjustment): <c>Marketplace:MaxAmount</c>, 1,000,000.00 MC unless configured.
    /// </summary>
    [ConfigurationKeyName("Marketplace:MaxAmount")]
    public Credits MaxAmount { get; init; } = DefaultMaxAmount;

    /// <summary>Open (created or pending) payments one user may have at once, all gateways together (<c>Payments:MaxOpenPayments</c>).</summary>
    [ConfigurationKeyName("Payments:MaxOpenPayments")]
    public int MaxOpenPayments { get; init; } = 10;

    /// <summary>Open bank transfers one user may have at once (<c>Payments:MaxOpenBankTransfers</c>); they never expire by themselves.</summary>
    [ConfigurationKeyName("Payments:MaxOpenBankTransfers")]
    public int MaxOpenBankTransfers { get; init; } = 3;

    /// <summary>Products one seller may list (<c>Catalog:MaxListingsPerSeller</c>).</summary>
    [ConfigurationKeyName("Catalog:MaxListingsPerSeller")]
    public int MaxListingsPerSeller { get; init; } = 100;

    /// <summary>How long a service order's credits stay on hold before they return to the buyer, in whole days.</summary>
    [ConfigurationKeyName("Marketplace:HoldExpiryDays")]
    public int HoldExpiryDays { get; init; } = 7;

    public TimeSpan HoldExpiry => TimeSpan.FromDays(HoldExpiryDays);

    public void ApplyDefaults(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        DemoPayment = environment.IsDevelopment();
    }

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (PublicBaseUrl is null)
        {
            if (!check.Environment.IsDevelopment())
            {
                check.Fail(check.Key(nameof(PublicBaseUrl)), "is required outside Development: set it to the site's origin, e.g. https://shop.example.com (links in mail and the audience of every signed intent use it).");
            }
        }
        else if (!PublicBaseUrl.IsAbsoluteUri || (PublicBaseUrl.Scheme != Uri.UriSchemeHttps && PublicBaseUrl.Scheme != Uri.UriSchemeHttp) || PublicBaseUrl.AbsolutePath != "/")
        {
            check.Invalid(check.Key(nameof(PublicBaseUrl)), "an origin such as https://shop.example.com");
        }

        if (MaxAmount.Units <= 0 || MaxAmount.Units > Ledger.Posting.MaxLineUnits)
        {
            check.Invalid(check.Key(nameof(MaxAmount)), "a positive amount of credits such as 1000000.00");
        }

        check.WholeNumber(nameof(MaxOpenPayments), MaxOpenPayments, 1, 1000);
        check.WholeNumber(nameof(MaxOpenBankTransfers), MaxOpenBankTransfers, 1, 1000);
        check.WholeNumber(nameof(MaxListingsPerSeller), MaxListingsPerSeller, 1, 100_000);
        if (HoldExpiryDays is < 1 or > 365)
        {
            check.Invalid(check.Key(nameof(HoldExpiryDays)), "a whole number of days from 1 to 365");
        }

        var prices = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, text) in CreditPriceSettings)
        {
            if (!Currency.TryFind(code, out var currency) || currency == Currency.Credits
                || DecimalString.TryParseUnits(text, currency.Decimals, out var minor) != AmountParse.Ok || minor <= 0)
            {
                check.Invalid(SettingChecks.Join(check.Key(nameof(CreditPriceSettings)), code), "the price of one credit in that currency, e.g. 1.00");
                continue;
            }

            prices[currency.Code] = minor;
        }

        _creditPrices = new CreditPrices(prices);
    }

    /// <summary>The problem with an amount above <see cref="MaxAmount"/>, or null; every money input asks this.</summary>
    public bool Exceeds(Credits amount) => amount > MaxAmount || -amount.Units > MaxAmount.Units;

    public string Origin(Uri requestOrigin) => (PublicBaseUrl ?? requestOrigin).GetLeftPart(UriPartial.Authority);

    public Credits Commission(Credits price) => new(price.Units * CommissionBasisPoints / 10000);

    public static string FormatPercent(int basisPoints) => new Percent(basisPoints).ToString();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"demo={DemoPayment}, commission={CommissionBasisPoints}bp");
}
