using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public class WhenTwoSpendsRaceForTheLastCredit(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int Spenders = 50;
    private const long SpendUnits = 100;
    private const int Affordable = 20;

    [Fact]
    public async Task Fifty_concurrent_spends_from_a_wallet_that_affords_twenty_post_exactly_twenty()
    {
        var user = await database.CreateUserAsync(fundedUnits: Affordable * SpendUnits);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var revenueBefore = await database.BalanceAsync(revenue);

        var results = await Concurrently.RunAsync(Spenders, async i =>
        {
            await using var db = database.NewContext();
            return await database.Ledger(db).PostAsync(new Posting($"race:{user.Id:N}:{i}", TransactionKind.Purchase, "One credit", [new(user.AvailableId, -SpendUnits), new(revenue, SpendUnits)]));
        });

        Assert.Equal(Affordable, results.Count(r => r is PostingResult.Posted { Replayed: false }));
        Assert.Equal(Spenders - Affordable, results.Count(r => r is PostingResult.InsufficientFunds));
        Assert.Equal(0, await database.BalanceAsync(user.AvailableId));
        Assert.Equal(revenueBefore + (Affordable * SpendUnits), await database.BalanceAsync(revenue));
        await database.AssertLedgerConsistentAsync();

        // Each winner saw the balance the previous one left: 19.00, 18.00, ... 0.00, each once.
        await using var read = database.NewContext();
        var balancesAfter = await read.LedgerEntries
            .Where(e => e.AccountId == user.AvailableId && e.Amount == -SpendUnits)
            .Select(e => e.BalanceAfter)
            .ToListAsync();
        var expected = Enumerable.Range(0, Affordable).Select(n => n * SpendUnits).Reverse();
        Assert.Equal(expected, balancesAfter.OrderDescending());
    }
}
