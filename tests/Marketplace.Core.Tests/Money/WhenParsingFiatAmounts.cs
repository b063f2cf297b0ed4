namespace Marketplace.Core.Tests.Money;

public class WhenParsingFiatAmounts
{
    [Fact]
    public void Shillings_have_no_minor_unit()
    {
        Assert.Equal(AmountParse.Ok, Core.Money.TryParse("100", Currency.Tzs, out var money));
        Assert.Equal(100, money.Minor);
        Assert.Equal(Currency.Tzs, money.Currency);
    }

    [Fact]
    public void Shillings_with_a_fraction_are_too_precise() =>
        Assert.Equal(AmountParse.TooPrecise, Core.Money.TryParse("100.5", Currency.Tzs, out _));

    [Fact]
    public void Dollars_are_parsed_in_cents()
    {
        Assert.Equal(AmountParse.Ok, Core.Money.TryParse("25.00", Currency.Usd, out var money));
        Assert.Equal(2500, money.Minor);
        Assert.Equal(AmountParse.TooPrecise, Core.Money.TryParse("25.001", Currency.Usd, out _));
    }

    [Fact]
    public void Fiat_amounts_format_with_their_own_scale()
    {
        Assert.Equal("2,500 TZS", new Core.Money(2500, Currency.Tzs).ToDisplayString());
        Assert.Equal("1234.05", new Core.Money(123405, Currency.Eur).ToDecimalString());
    }
}
