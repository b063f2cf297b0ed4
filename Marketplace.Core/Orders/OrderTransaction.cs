using System.Data.Common;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

/// <summary>
/// The one unit of work in which a posting flow moves the money and records the order with its signed receipt. With a
/// <see cref="LedgerWriter"/> it is one unit of the writer's next group commit (a savepoint of the group's transaction),
/// so a purchase is committed whole or not at all, and answered only once its group's commit is durable; without one
/// it is a database transaction of its own. Concurrent copies of one intent that all passed the caller's look-up meet
/// the ledger's unique idempotency key or the unique (buyer, nonce) index inside it, so they charge once and all answer
/// with the same receipt.
/// </summary>
internal sealed class OrderTransaction(MarketplaceDb db, LedgerWriter? writer = null)
{
    /// <summary>The context the unit runs on: a flow builds its ledger and queries on this one, not the request's.</summary>
    public MarketplaceDb Db => db;

    /// <param name="post">Moves the money on the given unit's <see cref="Db"/> and answers with the order it made (<see cref="Record"/>), which the unit inserts.</param>
    public Task<PurchaseResult> RunAsync(Guid userId, SignedIntent intent, Func<OrderTransaction, Task<PurchaseResult>> post, CancellationToken cancellationToken)
    {
        if (writer is not null && db.Database.CurrentTransaction is null)
        {
            return writer.RunAsync((group, ct) => new OrderTransaction(group).RunHereAsync(userId, intent, post, ct), cancellationToken);
        }

        return RunHereAsync(userId, intent, post, cancellationToken);
    }

    /// <summary>The order a flow made, inserted when <see cref="RunAsync"/> completes.</summary>
    public static PurchaseResult.Succeeded Record(Order order) => new(order, Replayed: false);

    /// <summary>What a refused ledger posting means for the intent; null when it was posted (or posted by a concurrent copy).</summary>
    public static PurchaseResult? Refusal(PostingResult posted, Credits maxAmount) => posted switch
    {
        PostingResult.InsufficientFunds => new PurchaseResult.InsufficientFunds(),
        PostingResult.LimitExceeded => new PurchaseResult.AmountTooLarge(maxAmount),
        PostingResult.KeyConflict => new PurchaseResult.NonceReused(),
        _ => null,
    };

    private async Task<PurchaseResult> RunHereAsync(Guid userId, SignedIntent intent, Func<OrderTransaction, Task<PurchaseResult>> post, CancellationToken cancellationToken)
    {
        var intentSha256 = intent.Sha256;
        var replays = new OrderReplays(db);
        // No second look-up of the nonce here (the caller looked before queueing): a copy that committed meanwhile is
        // caught by the ledger's unique key (the flow answers from its order) or by the unique (buyer, nonce) index
        // below. The look-up was a fifth of the writer's time per purchase, for the rare concurrent copy.
        await using var scope = await LedgerScope.BeginAsync(db, cancellationToken);
        var result = await post(this);
        if (result is not PurchaseResult.Succeeded { Replayed: false } succeeded)
        {
            await scope.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return result;
        }

        try
        {
            await OrderRows.InsertAsync(db, succeeded.Order, cancellationToken);
        }
        catch (DbException ex) when (DatabaseProvider.IsUniqueViolation(ex))
        {
            await scope.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var winner = await replays.FindAsync(userId, intent.Nonce, cancellationToken)
                ?? throw new InvalidOperationException("Unique violation on orders without a conflicting order.", ex);
            return OrderReplays.Replay(winner, intentSha256);
        }

        await scope.CompleteAsync(cancellationToken);
        return result;
    }
}
