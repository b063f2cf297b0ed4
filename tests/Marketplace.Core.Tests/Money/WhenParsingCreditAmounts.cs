namespace Marketplace.Core.Tests.Money;

public class WhenParsingCreditAmounts
{
    [Theory]
    [InlineData("12.50", 1250)]
    [InlineData("12.5", 1250)]
    [InlineData("12", 1200)]
    [InlineData("0.01", 1)]
    [InlineData("0", 0)]
    [InlineData("1,234.50", 123450)]
    [InlineData("1,000,000", 100000000)]
    [InlineData(" 7.25 ", 725)]
    [InlineData("999999999999999.99", 99999999999999999)]
    public void Well_formed_amounts_become_minor_units(string text, long expectedUnits)
    {
        Assert.Equal(AmountParse.Ok, Credits.TryParse(text, out var credits));
        Assert.Equal(expectedUnits, credits.Units);
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    [InlineData("abc")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1,23")]
    [InlineData("1,2345")]
    [InlineData(",123")]
    [InlineData("+5")]
    [InlineData("1.2.3")]
    [InlineData("12 50")]
    [InlineData("١٢")]
    [InlineData("-")]
    [InlineData("--5")]
    [InlineData("-1.")]
    public void Anything_but_a_plain_decimal_is_malformed(string? text)
    {
        Assert.Equal(AmountParse.Malformed, Credits.TryParse(text, out var credits));
        Assert.Equal(Credits.Zero, credits);
    }

    [Fact]
    public void A_third_decimal_place_is_too_precise() =>
        Assert.Equal(AmountParse.TooPrecise, Credits.TryParse("1.001", out _));

    [Theory]
    [InlineData("-1")]
    [InlineData("-12.50")]
    [InlineData("-1,234.5")]
    public void A_minus_sign_is_reported_as_negative(string text) =>
        Assert.Equal(AmountParse.Negative, Credits.TryParse(text, out _));

    [Theory]
    [InlineData("1000000000000000")]
    [InlineData("1,000,000,000,000,000.00")]
    [InlineData("99999999999999999999999999")]
    public void More_than_fifteen_whole_digits_is_too_large(string text) =>
        Assert.Equal(AmountParse.TooLarge, Credits.TryParse(text, out _));

    [Fact]
    public void Leading_zeros_do_not_count_towards_the_size_limit()
    {
        Assert.Equal(AmountParse.Ok, Credits.TryParse("0000000000000000001.00", out var credits));
        Assert.Equal(100, credits.Units);
    }
}
