using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public class WhenAHoldIsSettled(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_partial_settlement_pays_out_and_returns_the_rest_to_available()
    {
        var buyer = await database.CreateUserAsync(fundedUnits: 100);
        var seller = await database.CreateUserAsync();
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var revenueBefore = await database.BalanceAsync(revenue);
        var hold = await database.OpenHoldAsync(buyer, 80);

        HoldResult result;
        await using (var db = database.NewContext())
        {
            result = await database.Holds(db).SettleAsync(hold.Id, [new(seller.AvailableId, 50), new(revenue, 5)]);
        }

        var settled = Assert.IsType<HoldResult.Done>(result);
        Assert.False(settled.Replayed);
        Assert.Equal(HoldStatus.Settled, settled.Hold.Status);
        Assert.Equal(55, settled.Hold.SettledUnits);
        Assert.NotNull(settled.Hold.ResolutionTransactionId);
        Assert.Equal(20 + 25, await database.BalanceAsync(buyer.AvailableId));
        Assert.Equal(0, await database.BalanceAsync(buyer.HeldId));
        Assert.Equal(50, await database.BalanceAsync(seller.AvailableId));
        Assert.Equal(revenueBefore + 5, await database.BalanceAsync(revenue));
        await database.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_full_settlement_returns_nothing()
    {
        var buyer = await database.CreateUserAsync(fundedUnits: 100);
        var seller = await database.CreateUserAsync();
        var hold = await database.OpenHoldAsync(buyer, 80);

        await using (var db = database.NewContext())
        {
            Assert.IsType<HoldResult.Done>(await database.Holds(db).SettleAsync(hold.Id, [new(seller.AvailableId, 80)]));
        }

        Assert.Equal(20, await database.BalanceAsync(buyer.AvailableId));
        Assert.Equal(0, await database.BalanceAsync(buyer.HeldId));
        Assert.Equal(80, await database.BalanceAsync(seller.AvailableId));
        await using var read = database.NewContext();
        var settlement = await read.LedgerTransactions.Include(t => t.Entries).SingleAsync(t => t.IdempotencyKey == HoldTesting.SettleKey(hold.Id));
        Assert.Equal(2, settlement.Entries.Count);
    }

    [Fact]
    public async Task Settling_twice_replays_the_first_settlement()
    {
        var buyer = await database.CreateUserAsync(fundedUnits: 100);
        var seller = await database.CreateUserAsync();
        var hold = await database.OpenHoldAsync(buyer, 80);

        await using (var db = database.NewContext())
        {
            Assert.False(Assert.IsType<HoldResult.Done>(await database.Holds(db).SettleAsync(hold.Id, [new(seller.AvailableId, 60)])).Replayed);
        }

        await using (var db = database.NewContext())
        {
            var again = Assert.IsType<HoldResult.Done>(await database.Holds(db).SettleAsync(hold.Id, [new(seller.AvailableId, 60)]));
            Assert.True(again.Replayed);
        }

        Assert.Equal(1, await database.TransactionCountAsync(HoldTesting.SettleKey(hold.Id)));
        Assert.Equal(60, await database.BalanceAsync(seller.AvailableId));
        Assert.Equal(40, await database.BalanceAsync(buyer.AvailableId));
    }

    [Fact]
    public async Task Paying_out_more_than_the_hold_is_invalid_and_leaves_it_open()
    {
        var buyer = await database.CreateUserAsync(fundedUnits: 100);
        var seller = await database.CreateUserAsync();
        var hold = await database.OpenHoldAsync(buyer, 80);

        await using (var db = database.NewContext())
        {
            var holds = database.Holds(db);
            Assert.IsType<HoldResult.Invalid>(await holds.SettleAsync(hold.Id, [new(seller.AvailableId, 81)]));
            Assert.IsType<HoldResult.Invalid>(await holds.SettleAsync(hold.Id, []));
            Assert.IsType<HoldResult.Invalid>(await holds.SettleAsync(hold.Id, [new(seller.AvailableId, 0)]));
            Assert.IsType<HoldResult.NotFound>(await holds.SettleAsync(Guid.NewGuid(), [new(seller.AvailableId, 1)]));
        }

        Assert.Equal(HoldStatus.Open, (await database.StoredHoldAsync(hold.Id)).Status);
        Assert.Equal(80, await database.BalanceAsync(buyer.HeldId));
    }
}
