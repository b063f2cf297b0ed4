using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public sealed class WhenTheLedgerIsReconciled(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_ledger_after_grants_top_ups_holds_and_transfers_has_no_discrepancies()
    {
        await database.RealisticActivityAsync();

        var run = await database.ReconcileAsync();

        Assert.True(run.Discrepancies.Count == 0, string.Join("\n", run.Discrepancies.Select(d => $"{d.Check} {d.Subjects}: {d.Message}")));
        Assert.Equal(ReconciliationStatus.Clean, run.Status);
        await using var db = database.NewContext();
        Assert.Equal(await db.LedgerTransactions.CountAsync(), run.TransactionsChecked);
        Assert.Equal(await db.LedgerEntries.CountAsync(), run.EntriesChecked);
        Assert.Equal(await db.Accounts.CountAsync(), run.AccountsChecked);
        Assert.Equal(await db.Payments.CountAsync(), run.PaymentsChecked);
        Assert.Equal(await db.Holds.CountAsync(), run.HoldsChecked);
        Assert.Equal(await db.LedgerTransactions.OrderByDescending(t => t.Id).Select(t => t.Hash).FirstAsync(), run.ChainHead);
    }

    [Fact]
    public async Task Each_run_is_stored_with_its_counts_and_status()
    {
        await database.RealisticActivityAsync();

        var run = await database.ReconcileAsync();

        await using var db = database.NewContext();
        var stored = await db.ReconciliationRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id);
        Assert.Equal(ReconciliationStatus.Clean, stored.Status);
        Assert.Equal(0, stored.DiscrepancyCount);
        Assert.Equal(run.Counts, stored.Counts);
        Assert.Equal("schedule", stored.Trigger);
        Assert.True(stored.FinishedAt >= stored.StartedAt);
    }
}
