using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public class WhenCreditsAreReserved(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task They_move_from_available_to_held()
    {
        var user = await database.CreateUserAsync(fundedUnits: 10_000);

        var hold = await database.OpenHoldAsync(user, 8_000);

        Assert.Equal(HoldStatus.Open, hold.Status);
        Assert.Equal(2_000, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(8_000, await database.BalanceAsync(user.HeldId));
        var stored = await database.StoredHoldAsync(hold.Id);
        Assert.Equal(8_000, stored.AmountUnits);
        Assert.Equal(1, await database.TransactionCountAsync($"hold:{hold.Id:N}"));
        await database.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Reserving_the_same_hold_again_replays_it()
    {
        var user = await database.CreateUserAsync(fundedUnits: 10_000);
        var holdId = Guid.NewGuid();

        Assert.False(Assert.IsType<HoldResult.Done>(await database.ReserveAsync(user, 3_000, holdId)).Replayed);
        Assert.True(Assert.IsType<HoldResult.Done>(await database.ReserveAsync(user, 3_000, holdId)).Replayed);
        Assert.IsType<HoldResult.Invalid>(await database.ReserveAsync(user, 4_000, holdId));

        Assert.Equal(7_000, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(3_000, await database.BalanceAsync(user.HeldId));
    }

    [Fact]
    public async Task More_than_is_available_is_insufficient_funds_and_leaves_no_hold()
    {
        var user = await database.CreateUserAsync(fundedUnits: 7_999);
        var holdId = Guid.NewGuid();

        Assert.IsType<HoldResult.InsufficientFunds>(await database.ReserveAsync(user, 8_000, holdId));

        Assert.Equal(7_999, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(0, await database.BalanceAsync(user.HeldId));
        await using var read = database.NewContext();
        Assert.False(await read.Holds.AnyAsync(h => h.Id == holdId));
        Assert.Equal(0, await database.TransactionCountAsync($"hold:{holdId:N}"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    public async Task A_hold_that_is_not_positive_is_invalid(long units)
    {
        var user = await database.CreateUserAsync(fundedUnits: 1_000);
        Assert.IsType<HoldResult.Invalid>(await database.ReserveAsync(user, units));
        Assert.Equal(1_000, await database.BalanceAsync(user.AvailableId));
    }
}
