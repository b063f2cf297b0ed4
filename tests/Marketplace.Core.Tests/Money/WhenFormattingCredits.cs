namespace Marketplace.Core.Tests.Money;

public class WhenFormattingCredits
{
    [Theory]
    [InlineData(102500, "1,025.00 MC")]
    [InlineData(0, "0.00 MC")]
    [InlineData(1, "0.01 MC")]
    [InlineData(100000000, "1,000,000.00 MC")]
    [InlineData(-102550, "-1,025.50 MC")]
    [InlineData(-5, "-0.05 MC")]
    public void The_display_form_groups_thousands_and_names_the_currency(long units, string expected) =>
        Assert.Equal(expected, new Credits(units).ToDisplayString());

    [Theory]
    [InlineData(123450, "1234.50")]
    [InlineData(-1, "-0.01")]
    public void The_wire_form_has_no_grouping(long units, string expected) =>
        Assert.Equal(expected, new Credits(units).ToDecimalString());

    [Fact]
    public void The_extremes_of_long_format_without_overflowing()
    {
        Assert.Equal("-92,233,720,368,547,758.08 MC", new Credits(long.MinValue).ToDisplayString());
        Assert.Equal("92,233,720,368,547,758.07 MC", new Credits(long.MaxValue).ToDisplayString());
    }

    [Theory]
    [InlineData("0.01")]
    [InlineData("1234.50")]
    [InlineData("999999999999999.99")]
    public void The_wire_form_parses_back_to_the_same_amount(string text)
    {
        Assert.Equal(AmountParse.Ok, Credits.TryParse(text, out var credits));
        Assert.Equal(text, credits.ToDecimalString());
    }
}
