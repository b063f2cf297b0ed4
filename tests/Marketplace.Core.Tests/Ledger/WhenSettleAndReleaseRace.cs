using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public class WhenSettleAndReleaseRace(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Exactly_one_wins_and_the_balances_follow_the_winner()
    {
        const int Rounds = 10;
        var buyer = await database.CreateUserAsync(fundedUnits: Rounds * 80);
        var seller = await database.CreateUserAsync();
        var holds = new List<Hold>();
        for (var i = 0; i < Rounds; i++)
        {
            holds.Add(await database.OpenHoldAsync(buyer, 80));
        }

        // Two workers per hold, one settling and one releasing, all released at once.
        var results = await Concurrently.RunAsync(Rounds * 2, async i =>
        {
            var hold = holds[i / 2];
            await using var db = database.NewContext();
            var service = database.Holds(db);
            return i % 2 == 0
                ? await service.SettleAsync(hold.Id, [new(seller.AvailableId, 50)])
                : await service.ReleaseAsync(hold.Id);
        });

        var settledCount = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var pair = new[] { results[round * 2], results[(round * 2) + 1] };
            var winner = Assert.Single(pair, r => r is HoldResult.Done { Replayed: false });
            var loser = Assert.IsType<HoldResult.AlreadyResolved>(Assert.Single(pair, r => r is not HoldResult.Done { Replayed: false }));
            var winningStatus = ((HoldResult.Done)winner).Hold.Status;
            Assert.Equal(winningStatus, loser.Status);
            Assert.Equal(winningStatus, (await database.StoredHoldAsync(holds[round].Id)).Status);
            settledCount += winningStatus == HoldStatus.Settled ? 1 : 0;
        }

        Assert.Equal(0, await database.BalanceAsync(buyer.HeldId));
        Assert.Equal(settledCount * 50, await database.BalanceAsync(seller.AvailableId));
        Assert.Equal((Rounds * 80) - (settledCount * 50), await database.BalanceAsync(buyer.AvailableId));
        await using var read = database.NewContext();
        var ids = holds.Select(h => h.Id).ToList();
        Assert.Equal(Rounds, await read.Holds.CountAsync(h => ids.Contains(h.Id) && h.ResolutionTransactionId != null));
        await database.AssertLedgerConsistentAsync();
    }
}
