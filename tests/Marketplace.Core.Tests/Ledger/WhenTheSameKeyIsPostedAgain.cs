using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public class WhenTheSameKeyIsPostedAgain(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_same_lines_replay_the_first_transaction_and_change_nothing()
    {
        var user = await database.CreateUserAsync(fundedUnits: 1_000);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var key = $"replay:{user.Id:N}";
        var posting = new Posting(key, TransactionKind.Purchase, "Buy", [new(user.AvailableId, -300), new(revenue, 300)]);

        long firstId;
        await using (var db = database.NewContext())
        {
            var first = Assert.IsType<PostingResult.Posted>(await database.Ledger(db).PostAsync(posting));
            Assert.False(first.Replayed);
            firstId = first.Transaction.Id;
        }

        var revenueBefore = await database.BalanceAsync(revenue);
        await using (var db = database.NewContext())
        {
            // A changed description is presentation, not content: still the same transaction.
            var again = Assert.IsType<PostingResult.Posted>(await database.Ledger(db).PostAsync(posting with { Description = "Buy (retry)" }));
            Assert.True(again.Replayed);
            Assert.Equal(firstId, again.Transaction.Id);
            Assert.Equal(2, again.Transaction.Entries.Count);
        }

        Assert.Equal(700, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(revenueBefore, await database.BalanceAsync(revenue));
        await using var read = database.NewContext();
        Assert.Equal(1, await read.LedgerTransactions.CountAsync(t => t.IdempotencyKey == key));
        Assert.Equal(2, await read.LedgerEntries.CountAsync(e => e.TransactionId == firstId));
    }

    [Fact]
    public async Task Different_lines_are_a_key_conflict_and_change_nothing()
    {
        var user = await database.CreateUserAsync(fundedUnits: 1_000);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var key = $"conflict:{user.Id:N}";
        await using (var db = database.NewContext())
        {
            await database.Ledger(db).PostAsync(new Posting(key, TransactionKind.Purchase, "Buy", [new(user.AvailableId, -300), new(revenue, 300)]));
        }

        var revenueBefore = await database.BalanceAsync(revenue);
        var transactionsBefore = await database.TransactionCountAsync();
        var entriesBefore = await database.EntryCountAsync();
        await using (var db = database.NewContext())
        {
            var ledger = database.Ledger(db);
            var otherAmount = await ledger.PostAsync(new Posting(key, TransactionKind.Purchase, "Buy", [new(user.AvailableId, -400), new(revenue, 400)]));
            Assert.Equal(key, Assert.IsType<PostingResult.KeyConflict>(otherAmount).IdempotencyKey);
            var otherKind = await ledger.PostAsync(new Posting(key, TransactionKind.Transfer, "Buy", [new(user.AvailableId, -300), new(revenue, 300)]));
            Assert.IsType<PostingResult.KeyConflict>(otherKind);
        }

        Assert.Equal(700, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(revenueBefore, await database.BalanceAsync(revenue));
        Assert.Equal(transactionsBefore, await database.TransactionCountAsync());
        Assert.Equal(entriesBefore, await database.EntryCountAsync());
    }
}
