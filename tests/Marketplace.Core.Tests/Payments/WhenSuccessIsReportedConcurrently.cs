using Marketplace.Core.Payments;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Payments;

/// <summary>A webhook retried while the shopper's return also confirms the payment.</summary>
public class WhenSuccessIsReportedConcurrently(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Ten_completions_credit_the_wallet_exactly_once()
    {
        var user = await database.CreateUserAsync();
        var payment = await database.StartTopUpAsync(user);

        var results = await Concurrently.RunAsync(10, _ => database.CompleteAsync(payment.Id, PaymentOutcome.Succeeded));

        var completed = results.Select(r => Assert.IsType<CompletionResult.Completed>(r)).ToList();
        Assert.Single(completed, c => !c.AlreadyFinal);
        Assert.Equal(1, await database.TopUpCountAsync(payment.Id));
        Assert.Equal(2_500, await database.BalanceAsync(user.AvailableId));
        await using var read = database.NewContext();
        Assert.Equal(1, await read.LedgerEntries.CountAsync(e => e.AccountId == user.AvailableId));
        Assert.Equal(PaymentStatus.Succeeded, (await database.StoredPaymentAsync(payment.Id)).Status);
        await database.AssertLedgerConsistentAsync();
    }
}
