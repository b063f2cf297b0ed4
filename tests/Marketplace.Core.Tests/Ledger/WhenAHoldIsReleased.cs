using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;

namespace Marketplace.Core.Tests.Ledger;

public class WhenAHoldIsReleased(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Everything_returns_to_available()
    {
        var user = await database.CreateUserAsync(fundedUnits: 100);
        var hold = await database.OpenHoldAsync(user, 80);

        await using (var db = database.NewContext())
        {
            var released = Assert.IsType<HoldResult.Done>(await database.Holds(db).ReleaseAsync(hold.Id));
            Assert.Equal(HoldStatus.Released, released.Hold.Status);
            Assert.Equal(0, released.Hold.SettledUnits);
        }

        Assert.Equal(100, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(0, await database.BalanceAsync(user.HeldId));
        Assert.Equal(1, await database.TransactionCountAsync(HoldTesting.ReleaseKey(hold.Id)));
        await database.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Releasing_after_a_settlement_is_already_resolved()
    {
        var user = await database.CreateUserAsync(fundedUnits: 100);
        var seller = await database.CreateUserAsync();
        var hold = await database.OpenHoldAsync(user, 80);
        await using (var db = database.NewContext())
        {
            Assert.IsType<HoldResult.Done>(await database.Holds(db).SettleAsync(hold.Id, [new(seller.AvailableId, 80)]));
        }

        await using (var db = database.NewContext())
        {
            var result = await database.Holds(db).ReleaseAsync(hold.Id);
            Assert.Equal(HoldStatus.Settled, Assert.IsType<HoldResult.AlreadyResolved>(result).Status);
        }

        Assert.Equal(20, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(0, await database.TransactionCountAsync(HoldTesting.ReleaseKey(hold.Id)));
    }

    [Fact]
    public async Task Settling_after_a_release_is_already_resolved()
    {
        var user = await database.CreateUserAsync(fundedUnits: 100);
        var seller = await database.CreateUserAsync();
        var hold = await database.OpenHoldAsync(user, 80);
        await using var db = database.NewContext();
        var holds = database.Holds(db);

        Assert.IsType<HoldResult.Done>(await holds.ReleaseAsync(hold.Id));
        Assert.True(Assert.IsType<HoldResult.Done>(await holds.ReleaseAsync(hold.Id)).Replayed);
        Assert.Equal(HoldStatus.Released, Assert.IsType<HoldResult.AlreadyResolved>(await holds.SettleAsync(hold.Id, [new(seller.AvailableId, 80)])).Status);

        Assert.Equal(0, await database.BalanceAsync(seller.AvailableId));
        Assert.Equal(100, await database.BalanceAsync(user.AvailableId));
    }
}
