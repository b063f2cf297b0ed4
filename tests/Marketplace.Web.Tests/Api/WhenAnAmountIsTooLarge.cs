using System.Net;
using Marketplace.Core.Ledger;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Api;

/// <summary>
/// Every money input has one upper bound (Marketplace__MaxAmount, 1,000,000.00 MC by default, or the same value in the
/// paying currency): above it the answer is 422 amount_too_large and nothing changes. Amounts with many digits used to
/// overflow the currency conversion (a 500) or, added up by admins, the balance itself.
/// </summary>
public sealed class WhenAnAmountIsTooLarge(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Theory]
    [InlineData("999999999999999.99", "USD")]
    [InlineData("1000000.01", "EUR")]
    [InlineData("999999999999999", "TZS")]
    [InlineData("2500002500", "TZS")]
    public async Task A_top_up_above_the_maximum_is_refused(string amount, string currency)
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var payments = await app.CountPaymentsAsync();

        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = amount, Currency = currency, Gateway = "demo" });

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "amount_too_large");
        Assert.Equal(payments, await app.CountPaymentsAsync());
    }

    [Fact]
    public async Task A_top_up_of_exactly_the_maximum_is_taken()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        Assert.NotEqual(Guid.Empty, await client.InitiateTopUpAsync("1000000.00", "USD"));
    }

    [Fact]
    public async Task Admin_adjustments_above_the_maximum_are_refused_however_often_they_are_sent()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var userId = await app.UserIdAsync(shopper.User.Email);
        var adjustments = await app.BalanceUnitsAsync(AccountCodes.Adjustments);

        for (var i = 0; i < 95; i++)
        {
            using var response = await admin.PostJsonAsync($"/api/admin/users/{userId}/adjust", new { Amount = "999999999999999.99", Reason = "overflow attempt", IdempotencyKey = $"overflow-{i}-{Guid.NewGuid():N}" });
            await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "amount_too_large");
        }

        using var debit = await admin.PostJsonAsync($"/api/admin/users/{userId}/adjust", new { Amount = "-1000000.01", Reason = "too much", IdempotencyKey = Guid.NewGuid().ToString("N") });
        await debit.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "amount_too_large");
        Assert.Equal("1000.00", await shopper.AvailableAsync());
        Assert.Equal(adjustments, await app.BalanceUnitsAsync(AccountCodes.Adjustments));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_transfer_above_the_maximum_is_refused_before_the_balance_is_looked_at()
    {
        using var sender = await ApiClient.RegisteredAsync(app);
        using var recipient = await ApiClient.RegisteredAsync(app);

        using var response = await sender.TransactAsync(Intents.Transfer(recipient.User.Email, "1000000.01"));

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "amount_too_large");
        Assert.Equal("1000.00", await sender.AvailableAsync());
        Assert.Equal("1000.00", await recipient.AvailableAsync());
    }
}
