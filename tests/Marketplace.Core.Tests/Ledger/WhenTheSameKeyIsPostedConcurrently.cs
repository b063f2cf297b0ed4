using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public class WhenTheSameKeyIsPostedConcurrently(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Twenty_identical_postings_record_one_transaction_and_debit_once()
    {
        var user = await database.CreateUserAsync(fundedUnits: 10_000);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var key = $"same:{user.Id:N}";

        var results = await Concurrently.RunAsync(20, async _ =>
        {
            await using var db = database.NewContext();
            return await database.Ledger(db).PostAsync(new Posting(key, TransactionKind.Purchase, "Retry storm", [new(user.AvailableId, -750), new(revenue, 750)]));
        });

        var posted = results.Select(r => Assert.IsType<PostingResult.Posted>(r)).ToList();
        Assert.Single(posted, p => !p.Replayed);
        Assert.Single(posted.Select(p => p.Transaction.Id).Distinct());
        Assert.Equal(10_000 - 750, await database.BalanceAsync(user.AvailableId));
        await using var read = database.NewContext();
        Assert.Equal(1, await read.LedgerTransactions.CountAsync(t => t.IdempotencyKey == key));
        Assert.Equal(1, await read.LedgerEntries.CountAsync(e => e.AccountId == user.AvailableId && e.Amount == -750));
        await database.AssertLedgerConsistentAsync();
    }
}
