using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public class WhenPostingAMixOfTransactions(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Every_transaction_sums_to_zero_and_stored_balances_equal_their_entries()
    {
        var alice = await database.CreateUserAsync(fundedUnits: 50_000);
        var bob = await database.CreateUserAsync(fundedUnits: 10_000);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var clearing = await database.AccountIdAsync(AccountCodes.Clearing("demo"));

        await using (var db = database.NewContext())
        {
            var ledger = database.Ledger(db);
            Posting[] postings =
            [
                new("mix:topup", TransactionKind.TopUp, "Top-up", [new(clearing, -2_500), new(alice.AvailableId, 2_500)]),
                new("mix:transfer", TransactionKind.Transfer, "Alice pays Bob", [new(alice.AvailableId, -1_999), new(bob.AvailableId, 1_999)]),
                new("mix:purchase", TransactionKind.Purchase, "Bob buys", [new(bob.AvailableId, -3_000), new(alice.AvailableId, 2_700), new(revenue, 300)]),
                new("mix:hold", TransactionKind.Hold, "Alice reserves", [new(alice.AvailableId, -400), new(alice.HeldId, 400)]),
                new("mix:refund", TransactionKind.Refund, "Refund", [new(revenue, -300), new(bob.AvailableId, 300)]),
            ];
            foreach (var posting in postings)
            {
                Assert.IsType<PostingResult.Posted>(await ledger.PostAsync(posting));
            }
        }

        Assert.Equal(50_000 + 2_500 - 1_999 + 2_700 - 400, await database.BalanceAsync(alice.AvailableId));
        Assert.Equal(400, await database.BalanceAsync(alice.HeldId));
        Assert.Equal(10_000 + 1_999 - 3_000 + 300, await database.BalanceAsync(bob.AvailableId));
        await database.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Each_entry_records_the_balance_it_left_behind()
    {
        var user = await database.CreateUserAsync(fundedUnits: 1_000);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        await using (var db = database.NewContext())
        {
            var ledger = database.Ledger(db);
            await ledger.PostAsync(new Posting($"after:{user.Id:N}:1", TransactionKind.Purchase, "Spend", [new(user.AvailableId, -250), new(revenue, 250)]));
            await ledger.PostAsync(new Posting($"after:{user.Id:N}:2", TransactionKind.Purchase, "Spend", [new(user.AvailableId, -700), new(revenue, 700)]));
        }

        await using var read = database.NewContext();
        var trail = await read.LedgerEntries.Where(e => e.AccountId == user.AvailableId).OrderBy(e => e.Id).Select(e => new { e.Amount, e.BalanceAfter }).ToListAsync();
        Assert.Equal([1_000, -250, -700], trail.Select(e => e.Amount));
        Assert.Equal([1_000, 750, 50], trail.Select(e => e.BalanceAfter));
    }
}
