using Marketplace.Core;
using Marketplace.Core.Payments;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Payments;

public class WhenATopUpIsRequestedWithBadInput(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("1.001", "USD", "demo", "amount_too_precise", "amount")]
    [InlineData("100.5", "TZS", "demo", "amount_too_precise", "amount")]
    [InlineData("-5", "USD", "demo", "amount_not_positive", "amount")]
    [InlineData("-5.00", "USD", "demo", "amount_not_positive", "amount")]
    [InlineData("0", "USD", "demo", "amount_not_positive", "amount")]
    [InlineData("abc", "USD", "demo", "invalid_amount", "amount")]
    [InlineData("", "USD", "demo", "invalid_amount", "amount")]
    [InlineData("1", "TZS", "demo", "amount_too_small", "amount")]
    [InlineData("1000000.01", "USD", "demo", "amount_too_large", "amount")]
    [InlineData("999999999999999.99", "USD", "demo", "amount_too_large", "amount")]
    [InlineData("25.00", "USD", "stripe", "unknown_gateway", "gateway")]
    [InlineData("25.00", "USD", null, "unknown_gateway", "gateway")]
    [InlineData("25.00", "GBP", "demo", "unsupported_currency", "currency")]
    [InlineData("25.00", "MC", "demo", "unsupported_currency", "currency")]
    [InlineData("25.00", null, "demo", "unsupported_currency", "currency")]
    public async Task It_is_refused_with_a_reason_and_nothing_is_created(string? amount, string? currency, string? gateway, string expectedCode, string expectedField)
    {
        var user = await database.CreateUserAsync();

        InitiateResult result;
        await using (var db = database.NewContext())
        {
            result = await database.Payments(db).InitiateAsync(user.Id, amount, currency, gateway, PaymentTesting.Origin);
        }

        var invalid = Assert.IsType<InitiateResult.Invalid>(result);
        Assert.Equal(expectedCode, invalid.Code);
        Assert.Equal(expectedField, invalid.Field);
        await using var read = database.NewContext();
        Assert.False(await read.Payments.AnyAsync(p => p.UserId == user.Id));
    }

    [Fact]
    public async Task The_largest_allowed_top_up_is_accepted()
    {
        var user = await database.CreateUserAsync();
        await using var db = database.NewContext();

        var result = await database.Payments(db).InitiateAsync(user.Id, "1,000,000.00", "USD", "demo", PaymentTesting.Origin);

        Assert.Equal(MarketplaceOptions.DefaultMaxAmount, Assert.IsType<InitiateResult.Started>(result).Payment.Credits);
    }
}
