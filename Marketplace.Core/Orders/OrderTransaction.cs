using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

/// <summary>
/// The one database transaction in which a posting flow moves the money and records the order. The nonce is looked
/// up again once the transaction holds the write lock, and the unique (buyer, nonce) index catches whatever still
/// slips through, so concurrent copies of one intent charge once and all answer with the same receipt.
/// </summary>
internal sealed class OrderTransaction(MarketplaceDb db, OrderReplays replays)
{
    public async Task<PurchaseResult> RunAsync(Guid userId, SignedIntent intent, Func<Task<PurchaseResult>> post, CancellationToken cancellationToken)
    {
        var intentSha256 = intent.Sha256;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var earlier = await replays.FindAsync(userId, intent.Nonce, cancellationToken);
        if (earlier is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return OrderReplays.Replay(earlier, intentSha256);
        }

        var result = await post();
        if (result is not PurchaseResult.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return result;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseProvider.IsUniqueViolation(ex))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var winner = await replays.FindAsync(userId, intent.Nonce, cancellationToken)
                ?? throw new InvalidOperationException("Unique violation on orders without a conflicting order.", ex);
            return OrderReplays.Replay(winner, intentSha256);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>The order a flow made, saved when <see cref="RunAsync"/> commits.</summary>
    public PurchaseResult.Succeeded Record(Order order)
    {
        db.Orders.Add(order);
        return new PurchaseResult.Succeeded(order, Replayed: false);
    }

    /// <summary>What a refused ledger posting means for the intent; null when it was posted (or posted by a concurrent copy).</summary>
    public static PurchaseResult? Refusal(PostingResult posted, Credits maxAmount) => posted switch
    {
        PostingResult.InsufficientFunds => new PurchaseResult.InsufficientFunds(),
        PostingResult.LimitExceeded => new PurchaseResult.AmountTooLarge(maxAmount),
        PostingResult.KeyConflict => new PurchaseResult.NonceReused(),
        _ => null,
    };
}
