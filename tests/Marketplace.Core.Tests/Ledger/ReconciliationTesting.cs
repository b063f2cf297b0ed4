using Marketplace.Core.Admin;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Core.Tests.Payments;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Core.Tests.Ledger;

/// <summary>What <see cref="ReconciliationTesting.RealisticActivityAsync"/> left behind, so tests can corrupt a known row.</summary>
internal sealed record Activity(TestUser Alice, TestUser Bob, Guid SucceededPayment, Guid FailedPayment, Guid SettledHold, Guid ReleasedHold, Guid OpenHold, long TransferId);

internal static class ReconciliationTesting
{
    public static async Task<ReconciliationRun> ReconcileAsync(this TestDatabase database)
    {
        await using var db = database.NewContext();
        return await new ReconciliationService(db, new AuditLog(db, database.Clock), database.Checkpoints(db), database.Clock, NullLogger<ReconciliationService>.Instance).RunAsync();
    }

    /// <summary>Changes the database behind the application's back, as someone with the file would.</summary>
    public static async Task TamperAsync(this TestDatabase database, FormattableString sql)
    {
        await using var db = database.NewContext();
        Assert.Equal(1, await db.Database.ExecuteSqlAsync(sql));
    }

    /// <summary>Grants, a paid and a declined top-up, a settled, a released and an open hold, and a transfer.</summary>
    public static async Task<Activity> RealisticActivityAsync(this TestDatabase database)
    {
        var alice = await database.CreateUserAsync(fundedUnits: 100_000);
        var bob = await database.CreateUserAsync(fundedUnits: 50_000);

        var paid = await database.StartTopUpAsync(alice);
        Assert.IsType<CompletionResult.Completed>(await database.CompleteAsync(paid.Id, PaymentOutcome.Succeeded));
        var declined = await database.StartTopUpAsync(bob);
        Assert.IsType<CompletionResult.Completed>(await database.CompleteAsync(declined.Id, PaymentOutcome.Failed));

        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var settled = await database.OpenHoldAsync(alice, 3_000);
        var released = await database.OpenHoldAsync(bob, 2_000);
        var open = await database.OpenHoldAsync(alice, 1_000);
        await using (var db = database.NewContext())
        {
            Assert.IsType<HoldResult.Done>(await database.Holds(db).SettleAsync(settled.Id, [new PostingLine(bob.AvailableId, 2_700), new PostingLine(revenue, 250)]));
            Assert.IsType<HoldResult.Done>(await database.Holds(db).ReleaseAsync(released.Id));
        }

        long transferId;
        await using (var db = database.NewContext())
        {
            var transfer = await database.Ledger(db).PostAsync(new Posting($"transfer:{Guid.NewGuid():N}", TransactionKind.Transfer, "Alice pays Bob", [new(alice.AvailableId, -1_234), new(bob.AvailableId, 1_234)]));
            transferId = Assert.IsType<PostingResult.Posted>(transfer).Transaction.Id;
        }

        return new Activity(alice, bob, paid.Id, declined.Id, settled.Id, released.Id, open.Id, transferId);
    }

    public static async Task<LedgerEntry> EntryAsync(this TestDatabase database, long transactionId, long accountId)
    {
        await using var db = database.NewContext();
        return await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.TransactionId == transactionId && e.AccountId == accountId);
    }

    public static async Task<LedgerTransaction> TransactionAsync(this TestDatabase database, long transactionId)
    {
        await using var db = database.NewContext();
        return await db.LedgerTransactions.AsNoTracking().SingleAsync(t => t.Id == transactionId);
    }
}
