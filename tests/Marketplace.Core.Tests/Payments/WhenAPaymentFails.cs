using Marketplace.Core.Payments;
using Marketplace.Core.Tests.Support;

namespace Marketplace.Core.Tests.Payments;

public class WhenAPaymentFails(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Nothing_is_posted()
    {
        var user = await database.CreateUserAsync();
        var payment = await database.StartTopUpAsync(user);

        Assert.IsType<CompletionResult.Completed>(await database.CompleteAsync(payment.Id, PaymentOutcome.Failed));

        var stored = await database.StoredPaymentAsync(payment.Id);
        Assert.Equal(PaymentStatus.Failed, stored.Status);
        Assert.NotNull(stored.FailureReason);
        Assert.Null(stored.LedgerTransactionId);
        Assert.Equal(0, await database.TopUpCountAsync(payment.Id));
        Assert.Equal(0, await database.BalanceAsync(user.AvailableId));
    }

    [Fact]
    public async Task A_late_success_does_not_revive_it()
    {
        var user = await database.CreateUserAsync();
        var payment = await database.StartTopUpAsync(user);
        await database.CompleteAsync(payment.Id, PaymentOutcome.Failed);

        var late = Assert.IsType<CompletionResult.Completed>(await database.CompleteAsync(payment.Id, PaymentOutcome.Succeeded));

        Assert.True(late.AlreadyFinal);
        Assert.Equal(PaymentStatus.Failed, (await database.StoredPaymentAsync(payment.Id)).Status);
        Assert.Equal(0, await database.TopUpCountAsync(payment.Id));
        Assert.Equal(0, await database.BalanceAsync(user.AvailableId));
    }
}
