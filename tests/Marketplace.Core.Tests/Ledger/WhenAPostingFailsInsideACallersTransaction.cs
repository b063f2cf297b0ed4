using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public class WhenAPostingFailsInsideACallersTransaction(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Only_its_own_changes_are_rolled_back_and_the_callers_earlier_posting_commits()
    {
        var user = await database.CreateUserAsync(fundedUnits: 1_000);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var revenueBefore = await database.BalanceAsync(revenue);
        var first = $"outer:{user.Id:N}:first";
        var second = $"outer:{user.Id:N}:second";

        await using (var db = database.NewContext())
        {
            var ledger = database.Ledger(db);
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.IsType<PostingResult.Posted>(await ledger.PostAsync(new Posting(first, TransactionKind.Purchase, "Affordable", [new(user.AvailableId, -600), new(revenue, 600)])));
            // Revenue (lower id) is credited before the user's debit fails, so the savepoint has real work to undo.
            Assert.IsType<PostingResult.InsufficientFunds>(await ledger.PostAsync(new Posting(second, TransactionKind.Purchase, "Too dear", [new(user.AvailableId, -600), new(revenue, 600)])));
            await transaction.CommitAsync();
        }

        Assert.Equal(400, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(revenueBefore + 600, await database.BalanceAsync(revenue));
        await using var read = database.NewContext();
        Assert.True(await read.LedgerTransactions.AnyAsync(t => t.IdempotencyKey == first));
        Assert.False(await read.LedgerTransactions.AnyAsync(t => t.IdempotencyKey == second));
        await database.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task What_the_caller_added_before_the_failed_posting_is_still_saved()
    {
        var user = await database.CreateUserAsync(fundedUnits: 100);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var callersUser = Guid.NewGuid();

        await using (var db = database.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Users.Add(Marketplace.Core.Identity.User.Register(callersUser, $"{callersUser:N}@example.test", "Added by the caller", new byte[32], database.Clock.UtcNow));
            Assert.IsType<PostingResult.InsufficientFunds>(await database.Ledger(db).PostAsync(new Posting($"dear:{user.Id:N}", TransactionKind.Purchase, "Too dear", [new(user.AvailableId, -600), new(revenue, 600)])));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using var read = database.NewContext();
        Assert.True(await read.Users.AnyAsync(u => u.Id == callersUser));
        Assert.Equal(100, await database.BalanceAsync(user.AvailableId));
    }

    [Fact]
    public async Task A_caller_that_rolls_back_takes_its_postings_with_it()
    {
        var user = await database.CreateUserAsync(fundedUnits: 1_000);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var key = $"abandoned:{user.Id:N}";

        await using (var db = database.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.IsType<PostingResult.Posted>(await database.Ledger(db).PostAsync(new Posting(key, TransactionKind.Purchase, "Abandoned", [new(user.AvailableId, -600), new(revenue, 600)])));
            await transaction.RollbackAsync();
        }

        Assert.Equal(1_000, await database.BalanceAsync(user.AvailableId));
        await using var read = database.NewContext();
        Assert.False(await read.LedgerTransactions.AnyAsync(t => t.IdempotencyKey == key));
    }
}
