using Marketplace.Core.Payments;
using Marketplace.Core.Tests.Support;
using Microsoft.Extensions.Options;

namespace Marketplace.Core.Tests.Payments;

public sealed class WhenCreditPackagesAreRead
{
    [Fact]
    public void No_packages_are_configured_by_default()
    {
        Assert.Empty(Read([]).All);
    }

    [Fact]
    public void Packages_keep_their_configured_order_ids_and_defaulted_names()
    {
        var packages = Read(new()
        {
            ["Packages:0:Id"] = "b-second", ["Packages:0:Credits"] = "10", ["Packages:0:Prices:USD"] = "1",
            ["Packages:1:Id"] = "a_first", ["Packages:1:Name"] = "First", ["Packages:1:Credits"] = "20", ["Packages:1:Prices:EUR"] = "2",
        });

        Assert.Equal([("b-second", "B-second"), ("a_first", "First")], packages.All.Select(p => (p.Id, p.Name)));
        Assert.Same(packages.All[1], packages.Find(" A_FIRST "));
        Assert.Null(packages.Find("third"));
    }

    [Theory]
    [InlineData("500.00", "10", 50_00)]
    [InlineData("333.33", "12.5", 41_66)] // 41.66625 MC: a bonus rounds down to the unit, like every grant.
    [InlineData("0.01", "99.99", 0)]
    [InlineData("100.00", "0", 0)]
    [InlineData("1000000.00", "0", 0)]
    public void The_bonus_is_the_rate_of_the_credits_rounded_down(string credits, string percent, long bonusUnits)
    {
        var package = Single(credits, percent, "USD", "1.00");

        Assert.Equal(bonusUnits, package.Bonus.Units);
        Assert.Equal(package.Credits.Units + bonusUnits, package.Total.Units);
    }

    [Theory]
    [InlineData("500.00", "10", "USD", "44.99", "0.0818")]
    [InlineData("100.00", "0", "USD", "9.99", "0.0999")]
    [InlineData("500.00", "10", "TZS", "112475", "204.50")]
    [InlineData("300.00", "0", "EUR", "1.00", "0.0033")]
    [InlineData("200.00", "0", "EUR", "1.00", "0.0050")]
    [InlineData("800.00", "0", "EUR", "1.00", "0.0013")] // 0.00125 rounds half up
    public void The_price_per_credit_counts_the_bonus_and_has_two_more_places_than_the_currency(string credits, string percent, string currency, string price, string perCredit)
    {
        var package = Single(credits, percent, currency, price);

        Assert.Equal(perCredit, package.PricePerCredit(package.Prices.Single()));
    }

    [Fact]
    public void A_package_sold_in_two_currencies_has_a_price_in_each_and_none_in_a_third()
    {
        var package = Read(new() { ["Packages:0:Id"] = "two", ["Packages:0:Credits"] = "10", ["Packages:0:Prices:USD"] = "9.99", ["Packages:0:Prices:TZS"] = "25,000" }).All.Single();

        Assert.Equal(new Core.Money(999, Currency.Usd), package.PriceIn(Currency.Usd));
        Assert.Equal(new Core.Money(25000, Currency.Tzs), package.PriceIn(Currency.Tzs));
        Assert.Null(package.PriceIn(Currency.Eur));
    }

    [Fact]
    public void A_grant_over_the_money_limit_stops_the_start_naming_the_credits_and_the_limit()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Read(
            new() { ["Packages:0:Id"] = "huge", ["Packages:0:Credits"] = "1000", ["Packages:0:BonusPercent"] = "10", ["Packages:0:Prices:USD"] = "1", ["Marketplace:MaxAmount"] = "1000" }));

        Assert.Contains("'Packages__0__Credits'", error.Message, StringComparison.Ordinal);
        Assert.Contains("1,100.00 MC in all", error.Message, StringComparison.Ordinal);
    }

    private static CreditPackage Single(string credits, string percent, string currency, string price) =>
        Read(new() { ["Packages:0:Id"] = "p", ["Packages:0:Credits"] = credits, ["Packages:0:BonusPercent"] = percent, [$"Packages:0:Prices:{currency}"] = price }).All.Single();

    private static CreditPackageOptions Read(Dictionary<string, string?> settings) =>
        SettingsReading.Read<CreditPackageOptions>(new(settings) { ["PUBLIC_BASE_URL"] = "https://shop.example.com" });
}
