using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;

namespace Marketplace.Core.Tests.Ledger;

public class WhenHoldsExpire(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Only_holds_past_their_expiry_are_released()
    {
        var user = await database.CreateUserAsync(fundedUnits: 1_000);
        var soon = await database.OpenHoldAsync(user, 100, lifetime: TimeSpan.FromMinutes(10));
        var exactlyNow = await database.OpenHoldAsync(user, 200, lifetime: TimeSpan.FromMinutes(30));
        var later = await database.OpenHoldAsync(user, 300, lifetime: TimeSpan.FromHours(1));

        database.Clock.Advance(TimeSpan.FromMinutes(30));
        int released;
        await using (var db = database.NewContext())
        {
            released = await database.Holds(db).ReleaseExpiredAsync();
        }

        Assert.Equal(2, released);
        Assert.Equal(HoldStatus.Released, (await database.StoredHoldAsync(soon.Id)).Status);
        Assert.Equal(HoldStatus.Released, (await database.StoredHoldAsync(exactlyNow.Id)).Status);
        Assert.Equal(HoldStatus.Open, (await database.StoredHoldAsync(later.Id)).Status);
        Assert.Equal(700, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(300, await database.BalanceAsync(user.HeldId));

        await using (var db = database.NewContext())
        {
            Assert.Equal(0, await database.Holds(db).ReleaseExpiredAsync());
        }

        await database.AssertLedgerConsistentAsync();
    }
}
