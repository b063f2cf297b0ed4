using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Tests.Orders;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

/// <summary>
/// The writer takes every unit queued while it was busy into its next group. A unit that holds the writer until the
/// others are queued makes "these units share one group" certain without any timing.
/// </summary>
public sealed class WhenPostingsShareAGroupCommit(TestDatabase database, ReceiptKeyFixture key) : IClassFixture<TestDatabase>, IClassFixture<ReceiptKeyFixture>
{
    [Fact]
    public async Task One_refused_and_one_failing_posting_leave_the_others_committed_and_each_caller_gets_its_own_result()
    {
        var payer = await database.CreateUserAsync(fundedUnits: 1_000);
        var poor = await database.CreateUserAsync(fundedUnits: 50);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var revenueBefore = await database.BalanceAsync(revenue);
        var taken = $"taken:{payer.Id:N}";
        await using (var db = database.NewContext())
        {
            Assert.IsType<PostingResult.Posted>(await database.Ledger(db).PostAsync(new Posting(taken, TransactionKind.Purchase, "First use of the key", [new(payer.AvailableId, -10), new(revenue, 10)])));
        }

        var transactionsBefore = await database.TransactionCountAsync();
        var writer = database.Writer;
        await using var hold = await WriterHold.StartAsync(writer);
        var groupsBefore = writer.GroupsCommitted;

        await using var context = database.NewContext();
        var ledger = database.Ledger(context);
        // PostAsync queues its unit before its first await, so these five are queued, in this order, behind the holder.
        var first = ledger.PostAsync(new Posting($"first:{payer.Id:N}", TransactionKind.Purchase, "Posted", [new(payer.AvailableId, -100), new(revenue, 100)]));
        // Revenue has the lower id, so its credit is applied before the debit fails: the savepoint must undo it.
        var refused = ledger.PostAsync(new Posting($"refused:{poor.Id:N}", TransactionKind.Purchase, "Too dear", [new(poor.AvailableId, -51), new(revenue, 51)]));
        var conflict = ledger.PostAsync(new Posting(taken, TransactionKind.Purchase, "Same key, other content", [new(payer.AvailableId, -20), new(revenue, 20)]));
        var broken = ledger.PostAsync(new Posting($"broken:{payer.Id:N}", TransactionKind.Purchase, "No such account", [new(payer.AvailableId, -30), new(long.MaxValue, 30)]));
        var last = ledger.PostAsync(new Posting($"last:{payer.Id:N}", TransactionKind.Purchase, "Posted after the failures", [new(payer.AvailableId, -200), new(revenue, 200)]));
        Assert.Equal(5, writer.Waiting);
        await hold.ReleaseAsync();

        var firstPosted = Assert.IsType<PostingResult.Posted>(await first);
        Assert.Equal(poor.AvailableId, Assert.IsType<PostingResult.InsufficientFunds>(await refused).AccountId);
        Assert.Equal(taken, Assert.IsType<PostingResult.KeyConflict>(await conflict).IdempotencyKey);
        await Assert.ThrowsAsync<InvalidOperationException>(() => broken);
        var lastPosted = Assert.IsType<PostingResult.Posted>(await last);
        // The holder's group, then one group for all five.
        Assert.Equal(groupsBefore + 2, writer.GroupsCommitted);

        Assert.Equal(1_000 - 10 - 100 - 200, await database.BalanceAsync(payer.AvailableId));
        Assert.Equal(50, await database.BalanceAsync(poor.AvailableId));
        Assert.Equal(revenueBefore + 10 + 100 + 200, await database.BalanceAsync(revenue));
        Assert.Equal(transactionsBefore + 2, await database.TransactionCountAsync());
        await using var read = database.NewContext();
        var stored = await read.LedgerTransactions.AsNoTracking().Where(t => t.Id == firstPosted.Transaction.Id || t.Id == lastPosted.Transaction.Id).OrderBy(t => t.Id).ToListAsync();
        Assert.Equal([$"first:{payer.Id:N}", $"last:{payer.Id:N}"], stored.Select(t => t.IdempotencyKey));
        // Linked into the chain and the tree one after the other, with no gap where the failed units were.
        Assert.Equal(stored[0].Hash, stored[1].PreviousHash);
        Assert.Equal(stored[0].LeafIndex + 1, stored[1].LeafIndex);
        Assert.False(await read.LedgerTransactions.AnyAsync(t => t.IdempotencyKey == $"refused:{poor.Id:N}" || t.IdempotencyKey == $"broken:{payer.Id:N}"));
        await database.AssertLedgerConsistentAsync();
        Assert.Empty((await database.ReconcileAsync()).Discrepancies);
    }

    [Fact]
    public async Task An_unaffordable_purchase_in_a_group_leaves_the_other_purchases_with_their_orders_and_receipts()
    {
        var seller = await database.CreateSignerAsync(0);
        var rich = await database.CreateSignerAsync(10_00);
        var poor = await database.CreateSignerAsync(1_00);
        var other = await database.CreateSignerAsync(10_00);
        var product = await database.ListAsync(seller.Id, 2_00, ProductKind.Digital);
        var writer = database.Writer;
        await using var hold = await WriterHold.StartAsync(writer);
        var groupsBefore = writer.GroupsCommitted;

        // A purchase reads and verifies before it queues its unit, so wait until all three are queued.
        var purchases = new[] { rich, poor, other }.Select(buyer => database.ExecuteAsync(key.Signer, buyer, database.Spend(product, 2_00))).ToList();
        while (writer.Waiting < purchases.Count && !purchases.Any(p => p.IsCompleted))
        {
            await Task.Delay(5);
        }

        Assert.Equal(purchases.Count, writer.Waiting);
        await hold.ReleaseAsync();
        var results = await Task.WhenAll(purchases);

        Assert.Equal(groupsBefore + 2, writer.GroupsCommitted);
        var richOrder = Assert.IsType<PurchaseResult.Succeeded>(results[0]).Order;
        Assert.IsType<PurchaseResult.InsufficientFunds>(results[1]);
        var otherOrder = Assert.IsType<PurchaseResult.Succeeded>(results[2]).Order;
        Assert.Equal((8_00, 1_00, 8_00), (await database.BalanceAsync(rich.AvailableId), await database.BalanceAsync(poor.AvailableId), await database.BalanceAsync(other.AvailableId)));
        await using var read = database.NewContext();
        var orders = await read.Orders.AsNoTracking().Where(o => o.BuyerId == rich.Id || o.BuyerId == poor.Id || o.BuyerId == other.Id).ToListAsync();
        Assert.Equal(new[] { richOrder.Id, otherOrder.Id }.Order(), orders.Select(o => o.Id).Order());
        Assert.All(orders, o => Assert.False(string.IsNullOrEmpty(o.Receipt)));
        await database.AssertLedgerConsistentAsync();
        Assert.Empty((await database.ReconcileAsync()).Discrepancies);
    }

    /// <summary>A unit that keeps the writer busy until released (at the latest when disposed, so a failed assertion cannot leave it stuck).</summary>
    private sealed class WriterHold : IAsyncDisposable
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task _held = Task.CompletedTask;

        /// <summary>Returns once the writer is running the holding unit.</summary>
        public static async Task<WriterHold> StartAsync(LedgerWriter writer)
        {
            var hold = new WriterHold();
            var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            hold._held = writer.RunAsync(async (_, _) =>
            {
                running.SetResult();
                await hold._release.Task;
                return true;
            });
            await running.Task;
            return hold;
        }

        public Task ReleaseAsync()
        {
            _release.TrySetResult();
            return _held;
        }

        public async ValueTask DisposeAsync() => await ReleaseAsync();
    }
}
