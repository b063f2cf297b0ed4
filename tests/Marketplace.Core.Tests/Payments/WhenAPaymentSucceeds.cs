using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Payments;

public class WhenAPaymentSucceeds(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_credits_are_posted_once_however_often_success_is_reported()
    {
        var user = await database.CreateUserAsync();
        var clearing = await database.AccountIdAsync(AccountCodes.Clearing("demo"));
        var clearingBefore = await database.BalanceAsync(clearing);
        var payment = await database.StartTopUpAsync(user);

        var first = Assert.IsType<CompletionResult.Completed>(await database.CompleteAsync(payment.Id, PaymentOutcome.Succeeded));
        var second = Assert.IsType<CompletionResult.Completed>(await database.CompleteAsync(payment.Id, PaymentOutcome.Succeeded));

        Assert.False(first.AlreadyFinal);
        Assert.True(second.AlreadyFinal);
        Assert.Equal(1, await database.TopUpCountAsync(payment.Id));
        Assert.Equal(2_500, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(clearingBefore - 2_500, await database.BalanceAsync(clearing));

        var stored = await database.StoredPaymentAsync(payment.Id);
        Assert.Equal(PaymentStatus.Succeeded, stored.Status);
        await using var read = database.NewContext();
        var topUp = await read.LedgerTransactions.AsNoTracking().SingleAsync(t => t.IdempotencyKey == PaymentService.TopUpKey(payment.Id));
        Assert.Equal(topUp.Id, stored.LedgerTransactionId);
        Assert.Equal(TransactionKind.TopUp, topUp.Kind);
        await database.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Starting_a_top_up_records_a_pending_payment_and_posts_nothing()
    {
        var user = await database.CreateUserAsync();

        var payment = await database.StartTopUpAsync(user);

        var stored = await database.StoredPaymentAsync(payment.Id);
        Assert.Equal(PaymentStatus.Pending, stored.Status);
        Assert.Equal(2_500, stored.AmountMinor);
        Assert.Equal("USD", stored.Currency);
        Assert.Equal(2_500, stored.CreditsUnits);
        Assert.Equal($"demo_{payment.Id:N}", stored.ProviderReference);
        Assert.Equal(0, await database.TopUpCountAsync(payment.Id));
        Assert.Equal(0, await database.BalanceAsync(user.AvailableId));
    }

    [Fact]
    public async Task An_unknown_payment_is_not_found()
    {
        Assert.IsType<CompletionResult.NotFound>(await database.CompleteAsync(Guid.NewGuid(), PaymentOutcome.Succeeded));
    }
}
