using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public class WhenADebitExceedsTheBalance(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_posting_is_refused_as_insufficient_funds_and_nothing_is_recorded()
    {
        var user = await database.CreateUserAsync(fundedUnits: 999);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var revenueBefore = await database.BalanceAsync(revenue);
        var transactionsBefore = await database.TransactionCountAsync();
        var entriesBefore = await database.EntryCountAsync();
        var key = $"overdraw:{user.Id:N}";

        await using (var db = database.NewContext())
        {
            // Revenue has the lower id, so its credit is applied before the user's debit fails;
            // the rollback must undo it.
            var result = await database.Ledger(db).PostAsync(new Posting(key, TransactionKind.Purchase, "Too dear", [new(user.AvailableId, -1_000), new(revenue, 1_000)]));
            Assert.Equal(user.AvailableId, Assert.IsType<PostingResult.InsufficientFunds>(result).AccountId);
        }

        Assert.Equal(999, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(revenueBefore, await database.BalanceAsync(revenue));
        Assert.Equal(transactionsBefore, await database.TransactionCountAsync());
        Assert.Equal(entriesBefore, await database.EntryCountAsync());
        await using var read = database.NewContext();
        Assert.False(await read.LedgerTransactions.AnyAsync(t => t.IdempotencyKey == key));
    }

    [Fact]
    public async Task A_refused_key_can_be_posted_once_the_funds_are_there()
    {
        var user = await database.CreateUserAsync(fundedUnits: 500);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var posting = new Posting($"later:{user.Id:N}", TransactionKind.Purchase, "Buy", [new(user.AvailableId, -800), new(revenue, 800)]);
        await using var db = database.NewContext();
        var ledger = database.Ledger(db);

        Assert.IsType<PostingResult.InsufficientFunds>(await ledger.PostAsync(posting));
        await database.FundAsync(user, 300);
        Assert.False(Assert.IsType<PostingResult.Posted>(await ledger.PostAsync(posting)).Replayed);
        Assert.Equal(0, await database.BalanceAsync(user.AvailableId));
    }

    [Fact]
    public async Task Spending_exactly_the_balance_leaves_zero()
    {
        var user = await database.CreateUserAsync(fundedUnits: 1_234);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        await using var db = database.NewContext();
        var result = await database.Ledger(db).PostAsync(new Posting($"exact:{user.Id:N}", TransactionKind.Purchase, "All of it", [new(user.AvailableId, -1_234), new(revenue, 1_234)]));
        Assert.IsType<PostingResult.Posted>(result);
        Assert.Equal(0, await database.BalanceAsync(user.AvailableId));
    }

    [Fact]
    public async Task Platform_and_clearing_accounts_may_go_negative()
    {
        var user = await database.CreateUserAsync();
        var clearing = await database.AccountIdAsync(AccountCodes.Clearing("bank"));
        var adjustments = await database.AccountIdAsync(AccountCodes.Adjustments);
        var clearingBefore = await database.BalanceAsync(clearing);
        var adjustmentsBefore = await database.BalanceAsync(adjustments);
        await using (var db = database.NewContext())
        {
            var ledger = database.Ledger(db);
            Assert.IsType<PostingResult.Posted>(await ledger.PostAsync(new Posting($"neg-clearing:{user.Id:N}", TransactionKind.TopUp, "Top-up", [new(clearing, -clearingBefore - 10_000), new(user.AvailableId, clearingBefore + 10_000)])));
            Assert.IsType<PostingResult.Posted>(await ledger.PostAsync(new Posting($"neg-adjust:{user.Id:N}", TransactionKind.AdminAdjustment, "Goodwill", [new(adjustments, -adjustmentsBefore - 1), new(user.HeldId, adjustmentsBefore + 1)])));
        }

        Assert.Equal(-10_000, await database.BalanceAsync(clearing));
        Assert.Equal(-1, await database.BalanceAsync(adjustments));
        await database.AssertLedgerConsistentAsync();
    }
}
