namespace Marketplace.Core.Tests.Money;

public class WhenConvertingFiatToCredits
{
    private static readonly CreditPrices Prices = CreditPrices.Default;

    [Fact]
    public void One_dollar_buys_one_credit() =>
        Assert.Equal(new Credits(2500), Prices.ToCredits(new Core.Money(2500, Currency.Usd)));

    [Fact]
    public void Twenty_five_hundred_shillings_buy_one_credit() =>
        Assert.Equal(new Credits(100), Prices.ToCredits(new Core.Money(2500, Currency.Tzs)));

    [Theory]
    [InlineData(1, 0)]
    [InlineData(24, 0)]
    [InlineData(25, 1)]
    [InlineData(2549, 101)]
    public void Fractions_of_a_credit_unit_round_down(long shillings, long expectedUnits) =>
        Assert.Equal(expectedUnits, Prices.ToCredits(new Core.Money(shillings, Currency.Tzs)).Units);

    [Fact]
    public void Credits_are_not_a_currency_one_can_buy() =>
        Assert.False(Prices.Supports(Currency.Credits));

    [Fact]
    public void A_price_must_be_a_positive_number_of_minor_units() =>
        Assert.Throws<ArgumentException>(() => new CreditPrices(new Dictionary<string, long> { ["USD"] = 0 }));

    [Theory]
    [InlineData(25000, "USD", 25000)]
    [InlineData(1, "USD", 1)]
    [InlineData(101, "TZS", 2525)]
    [InlineData(1, "TZS", 25)]
    public void The_cost_of_credits_rounds_up_so_paying_it_buys_at_least_them(long units, string currency, long expectedMinor)
    {
        var found = Currency.TryFind(currency, out var money);
        Assert.True(found);

        var cost = Prices.CostOf(new Credits(units), money!);

        Assert.Equal(expectedMinor, cost.Minor);
        Assert.True(Prices.ToCredits(cost).Units >= units);
    }
}
