using System.Data.Common;
using Marketplace.Core.Admin;
using Marketplace.Core.Persistence;
using Marketplace.Core.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Core.Ledger;

/// <summary>The newest run in a line, for the readiness check.</summary>
public sealed record ReconciliationSummary(long Id, ReconciliationStatus Status, int DiscrepancyCount, DateTime FinishedAt);

/// <summary>
/// Proves the ledger adds up: one pass of set-based checks (<see cref="ReconciliationChecks"/>) and a
/// re-walk of the hash chain that also rebuilds the Merkle tree and compares the stored tree and every signed
/// checkpoint with it, all read from one snapshot so postings running meanwhile cannot make consistent data look
/// wrong. Each run is stored with its discrepancies, every discrepancy is logged as a warning, and a checkpoint
/// naming the run is signed after it.
/// </summary>
public sealed class ReconciliationService(MarketplaceDb db, AuditLog auditLog, LedgerCheckpoints checkpoints, TimeProvider clock, ILogger<ReconciliationService> logger)
{
    public const string ScheduleTrigger = "schedule";

    /// <summary>Runs every check once and stores the run; an admin who asked for it is recorded in the audit log with it.</summary>
    public async Task<ReconciliationRun> RunAsync(AdminActor? requestedBy = null, CancellationToken cancellationToken = default)
    {
        var startedAt = clock.GetUtcNow().UtcDateTime;
        var started = clock.GetTimestamp();
        var found = new List<ReconciliationDiscrepancy>();
        ChainVerification chain;
        (long Entries, long Accounts, long Payments, long Holds, long Orders) counts;

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var snapshot = await DatabaseProvider.BeginReadSnapshotAsync(db, cancellationToken);
            var checks = new (string Name, Func<DbConnection, DbTransaction?, List<ReconciliationDiscrepancy>, CancellationToken, Task> Run)[]
            {
                (ReconciliationChecks.TransactionBalances, ReconciliationChecks.TransactionsBalanceAsync),
                (ReconciliationChecks.IntegerBalance, ReconciliationChecks.BalancesAreIntegersAsync),
                // Account balances and balance-after, from one read of the entries.
                (ReconciliationChecks.AccountBalance, ReconciliationChecks.AccountEntriesAsync),
                (ReconciliationChecks.NegativeUserBalance, ReconciliationChecks.UserAccountsNotNegativeAsync),
                (ReconciliationChecks.PaymentTopUp, ReconciliationChecks.PaymentsHaveTopUpsAsync),
                (ReconciliationChecks.TopUpPayment, ReconciliationChecks.TopUpsHavePaymentsAsync),
                (ReconciliationChecks.PaymentBonus, ReconciliationChecks.PaymentsHaveBonusesAsync),
                (ReconciliationChecks.BonusPayment, ReconciliationChecks.BonusesHavePaymentsAsync),
                (ReconciliationChecks.HoldResolution, ReconciliationChecks.HoldsResolvedOnceAsync),
                (ReconciliationChecks.OrderPurchase, ReconciliationChecks.OrdersHavePurchasesAsync),
                (ReconciliationChecks.CollectedNotCredited, ReconciliationChecks.CollectedPaymentsCreditedAsync),
            };
            foreach (var (name, check) in checks)
            {
                try
                {
                    await check(connection, snapshot, found, cancellationToken);
                }
                catch (DbException ex)
                {
                    // Broken data is what reconciliation exists to find: a check that cannot even run over it
                    // (a sum past 64 bits, say) is a finding, and the other checks still run.
                    found.Add(CheckFailed(name, ex));
                }
            }

            counts = await ReconciliationChecks.CountAsync(connection, snapshot, cancellationToken);
            var tree = new LedgerTreeAudit(await db.LedgerCheckpoints.AsNoTracking().Select(c => new CheckpointHead(c.Id, c.TreeSize, c.RootHash)).ToListAsync(cancellationToken));
            chain = await LedgerChain.VerifyAsync(connection, snapshot, tree.Add, cancellationToken);
            if (chain.FirstBreak is { } broken)
            {
                found.Add(ReconciliationDiscrepancy.Create(ReconciliationChecks.Chain, broken.Expected, broken.Found, $"First broken link of the hash chain: {broken.Reason}", transactionId: broken.TransactionId));
            }

            var storedSize = await LedgerTree.SizeAsync(db, cancellationToken);
            found.AddRange(tree.Finish(storedSize, storedSize == chain.TransactionCount ? await StoredRootAsync(storedSize, cancellationToken) : null));

            await snapshot.RollbackAsync(cancellationToken);
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        var run = ReconciliationRun.Record(
            requestedBy is null ? ScheduleTrigger : $"admin:{requestedBy.Email}",
            startedAt,
            clock.GetUtcNow().UtcDateTime,
            clock.GetElapsedTime(started),
            new ReconciliationCounts(chain.TransactionCount, counts.Entries, counts.Accounts, counts.Payments, counts.Holds, counts.Orders),
            chain.Head,
            found);
        db.ReconciliationRuns.Add(run);
        if (requestedBy is not null)
        {
            auditLog.Add(requestedBy, "reconciliation.run", "reconciliation", "Run on demand", new { started_at = startedAt, status = WireName.Of(run.Status), discrepancies = run.DiscrepancyCount });
        }

        await db.SaveChangesAsync(cancellationToken);
        Report(run);
        await checkpoints.SignAsync(run, cancellationToken);
        return run;
    }

    /// <summary>The stored tree's root, or null when nodes it needs are missing (damage the audit reports).</summary>
    private async Task<byte[]?> StoredRootAsync(long size, CancellationToken cancellationToken)
    {
        try
        {
            return await LedgerTree.RootAsync(db, size, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static ReconciliationDiscrepancy CheckFailed(string check, DbException error) =>
        ReconciliationDiscrepancy.Create(
            check,
            "the check to complete",
            error.Message.Length <= 400 ? $"failed: {error.Message}" : $"failed: {error.Message[..400]}",
            "The check could not run over the data as stored (for example, amounts whose sum does not fit 64 bits); the ledger is damaged there.");

    public async Task<IReadOnlyList<ReconciliationRun>> RecentAsync(int limit, CancellationToken cancellationToken = default) =>
        await db.ReconciliationRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(limit).ToListAsync(cancellationToken);

    public Task<ReconciliationRun?> FindAsync(long runId, CancellationToken cancellationToken = default) =>
        db.ReconciliationRuns.AsNoTracking().Include(r => r.Discrepancies).SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);

    public Task<ReconciliationSummary?> LatestAsync(CancellationToken cancellationToken = default) =>
        db.ReconciliationRuns.AsNoTracking()
            .OrderByDescending(r => r.Id)
            .Select(r => new ReconciliationSummary(r.Id, r.Status, r.DiscrepancyCount, r.FinishedAt))
            .FirstOrDefaultAsync(cancellationToken);

    private void Report(ReconciliationRun run)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            foreach (var d in run.Discrepancies)
            {
                logger.LogWarning(
                    "Reconciliation run {RunId}: {Check} on {Subjects}: expected {Expected}, found {Found}. {Message}",
                    run.Id, d.Check, d.Subjects, d.Expected, d.Found, d.Message);
            }
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation(
                "Reconciliation run {RunId} ({Trigger}) finished {Status} in {DurationMs} ms: {Transactions} transactions, {Entries} entries, {Accounts} accounts, {Payments} payments, {Holds} holds, {Orders} orders, {Discrepancies} discrepancies",
                run.Id, run.Trigger, run.Status, run.DurationMs, run.TransactionsChecked, run.EntriesChecked, run.AccountsChecked, run.PaymentsChecked, run.HoldsChecked, run.OrdersChecked, run.DiscrepancyCount);
        }
    }
}
