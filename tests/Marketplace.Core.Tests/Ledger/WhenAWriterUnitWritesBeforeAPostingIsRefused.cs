using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

/// <summary>
/// A posting that is the first write of a writer's unit takes no savepoint and, refused, rolls back to the unit's. Once
/// the unit has written anything (another posting, SaveChanges, ExecuteUpdate) a refused posting must undo only its own
/// writes: the unit's earlier ones stay and commit.
/// </summary>
public sealed class WhenAWriterUnitWritesBeforeAPostingIsRefused(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task An_earlier_posting_in_the_same_unit_stays()
    {
        var payer = await database.CreateUserAsync(fundedUnits: 100);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var revenueBefore = await database.BalanceAsync(revenue);

        var (first, second) = await database.Writer.RunAsync(async (db, ct) =>
        {
            var ledger = new LedgerService(db, database.Clock);
            var posted = await ledger.PostAsync(new Posting($"kept:{payer.Id:N}", TransactionKind.Purchase, "Kept", [new(payer.AvailableId, -60), new(revenue, 60)]), ct);
            // Revenue has the lower id: its credit is applied before the debit is refused, and must be undone alone.
            var refused = await ledger.PostAsync(new Posting($"refused:{payer.Id:N}", TransactionKind.Purchase, "Too dear", [new(payer.AvailableId, -60), new(revenue, 60)]), ct);
            return (posted, refused);
        });

        Assert.IsType<PostingResult.Posted>(first);
        Assert.IsType<PostingResult.InsufficientFunds>(second);
        Assert.Equal(40, await database.BalanceAsync(payer.AvailableId));
        Assert.Equal(revenueBefore + 60, await database.BalanceAsync(revenue));
        await using var read = database.NewContext();
        Assert.True(await read.LedgerTransactions.AnyAsync(t => t.IdempotencyKey == $"kept:{payer.Id:N}"));
        Assert.False(await read.LedgerTransactions.AnyAsync(t => t.IdempotencyKey == $"refused:{payer.Id:N}"));
        await database.AssertLedgerConsistentAsync();
        Assert.Empty((await database.ReconcileAsync()).Discrepancies);
    }

    [Fact]
    public async Task An_earlier_ExecuteUpdate_in_the_same_unit_stays()
    {
        var payer = await database.CreateUserAsync(fundedUnits: 10);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);

        var refused = await database.Writer.RunAsync(async (db, ct) =>
        {
            await db.Users.Where(u => u.Id == payer.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "Renamed in the unit"), ct);
            return await new LedgerService(db, database.Clock).PostAsync(new Posting($"refused:{payer.Id:N}", TransactionKind.Purchase, "Too dear", [new(payer.AvailableId, -60), new(revenue, 60)]), ct);
        });

        Assert.IsType<PostingResult.InsufficientFunds>(refused);
        Assert.Equal("Renamed in the unit", await DisplayNameAsync(payer.Id));
        Assert.Equal(10, await database.BalanceAsync(payer.AvailableId));
    }

    [Fact]
    public async Task An_earlier_SaveChanges_in_the_same_unit_stays()
    {
        var payer = await database.CreateUserAsync(fundedUnits: 10);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var newcomer = Guid.NewGuid();

        var refused = await database.Writer.RunAsync(async (db, ct) =>
        {
            db.Users.Add(User.Register(newcomer, $"{newcomer:N}@example.test", "Saved in the unit", new byte[32], database.Clock.UtcNow));
            await db.SaveChangesAsync(ct);
            return await new LedgerService(db, database.Clock).PostAsync(new Posting($"refused:{payer.Id:N}", TransactionKind.Purchase, "Too dear", [new(payer.AvailableId, -60), new(revenue, 60)]), ct);
        });

        Assert.IsType<PostingResult.InsufficientFunds>(refused);
        Assert.Equal("Saved in the unit", await DisplayNameAsync(newcomer));
        Assert.Equal(10, await database.BalanceAsync(payer.AvailableId));
    }

    [Fact]
    public async Task A_refused_first_posting_leaves_the_unit_free_to_post_again()
    {
        var payer = await database.CreateUserAsync(fundedUnits: 50);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);

        var (refused, posted) = await database.Writer.RunAsync(async (db, ct) =>
        {
            var ledger = new LedgerService(db, database.Clock);
            var tooDear = await ledger.PostAsync(new Posting($"refused:{payer.Id:N}", TransactionKind.Purchase, "Too dear", [new(payer.AvailableId, -60), new(revenue, 60)]), ct);
            var affordable = await ledger.PostAsync(new Posting($"posted:{payer.Id:N}", TransactionKind.Purchase, "Affordable", [new(payer.AvailableId, -30), new(revenue, 30)]), ct);
            return (tooDear, affordable);
        });

        Assert.IsType<PostingResult.InsufficientFunds>(refused);
        Assert.Equal(20, Assert.IsType<PostingResult.Posted>(posted).Transaction.Entries.Single(e => e.AccountId == payer.AvailableId).BalanceAfter);
        Assert.Equal(20, await database.BalanceAsync(payer.AvailableId));
        await database.AssertLedgerConsistentAsync();
    }

    private async Task<string> DisplayNameAsync(Guid userId)
    {
        await using var db = database.NewContext();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleAsync();
    }
}
