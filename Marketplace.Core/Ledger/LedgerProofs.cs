using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Ledger;

/// <summary>The expected outcomes of asking for a proof; hashes are raw 32-byte SHA-256 values.</summary>
public abstract record ProofResult
{
    private ProofResult()
    {
    }

    public sealed record Inclusion(long LeafIndex, long TreeSize, byte[] LeafHash, IReadOnlyList<byte[]> Path) : ProofResult;

    public sealed record Consistency(long From, long To, IReadOnlyList<byte[]> Path) : ProofResult;

    /// <summary>No such transaction, or not one of the asker's.</summary>
    public sealed record TransactionNotFound : ProofResult;

    /// <summary>The tree has only <paramref name="TreeSize"/> leaves so far.</summary>
    public sealed record BeyondTree(long TreeSize) : ProofResult;

    /// <summary>The transaction is leaf <paramref name="LeafIndex"/>, so a tree of the size asked for does not hold it yet.</summary>
    public sealed record BeforeLeaf(long LeafIndex) : ProofResult;

    /// <summary>A consistency proof goes from a smaller tree to a larger one.</summary>
    public sealed record SizesOutOfOrder : ProofResult;
}

/// <summary>What the order page hands the browser: the order's transaction as the tree holds it, and the proof against a checkpoint.</summary>
public sealed record OrderInclusion(long TransactionId, string Canonical, long LeafIndex, IReadOnlyList<byte[]> Path, LedgerCheckpoint Checkpoint);

/// <summary>Where an order's transaction stands against the latest checkpoint.</summary>
public abstract record OrderInclusionResult
{
    private OrderInclusionResult()
    {
    }

    public sealed record Included(OrderInclusion Inclusion) : OrderInclusionResult;

    /// <summary>Posted after the latest checkpoint (<paramref name="Latest"/>, if any): the next one on the schedule will hold it.</summary>
    public sealed record Pending(long TransactionId, long LeafIndex, LedgerCheckpoint? Latest) : OrderInclusionResult;

    /// <summary>Not one of the buyer's orders.</summary>
    public sealed record NotFound : OrderInclusionResult;
}

/// <summary>Inclusion and consistency proofs from the stored tree (<see cref="LedgerTree"/>), each O(log n) node reads.</summary>
public sealed class LedgerProofs(MarketplaceDb db, LedgerCheckpoints checkpoints)
{
    /// <summary>
    /// The proof that transaction <paramref name="transactionId"/> is in the tree of the first <paramref name="size"/>
    /// transactions. With an <paramref name="owner"/>, only a transaction that moved one of that user's accounts is found;
    /// null (admins) finds any.
    /// </summary>
    public async Task<ProofResult> InclusionAsync(long transactionId, long size, Guid? owner, CancellationToken cancellationToken = default)
    {
        var transactions = db.LedgerTransactions.AsNoTracking().Where(t => t.Id == transactionId);
        if (owner is { } userId)
        {
            transactions = transactions.Where(t => t.Entries.Any(e => db.Accounts.Any(a => a.Id == e.AccountId && a.OwnerId == userId)));
        }

        var leaf = await transactions.Select(t => t.LeafIndex).FirstOrDefaultAsync(cancellationToken);
        if (leaf is not { } leafIndex)
        {
            return new ProofResult.TransactionNotFound();
        }

        var treeSize = await LedgerTree.SizeAsync(db, cancellationToken);
        if (size > treeSize)
        {
            return new ProofResult.BeyondTree(treeSize);
        }

        if (size <= leafIndex)
        {
            return new ProofResult.BeforeLeaf(leafIndex);
        }

        var (leafHash, path) = await LedgerTree.InclusionProofAsync(db, leafIndex, size, cancellationToken);
        return new ProofResult.Inclusion(leafIndex, size, leafHash, path);
    }

    /// <summary>The proof that the tree of <paramref name="to"/> transactions extends the one of <paramref name="from"/>.</summary>
    public async Task<ProofResult> ConsistencyAsync(long from, long to, CancellationToken cancellationToken = default)
    {
        if (from > to)
        {
            return new ProofResult.SizesOutOfOrder();
        }

        var treeSize = await LedgerTree.SizeAsync(db, cancellationToken);
        if (to > treeSize)
        {
            return new ProofResult.BeyondTree(treeSize);
        }

        return new ProofResult.Consistency(from, to, await LedgerTree.ConsistencyPathAsync(db, from, to, cancellationToken));
    }

    /// <summary>
    /// The buyer's order's transaction with its inclusion proof against the latest checkpoint. An order placed since
    /// is <see cref="OrderInclusionResult.Pending"/>: viewing a page signs nothing, or every purchase would make a checkpoint.
    /// </summary>
    public async Task<OrderInclusionResult> ForOrderAsync(Guid buyerId, Guid orderId, CancellationToken cancellationToken = default)
    {
        var transactionId = await db.Orders.AsNoTracking().Where(o => o.Id == orderId && o.BuyerId == buyerId).Select(o => (long?)o.LedgerTransactionId).FirstOrDefaultAsync(cancellationToken);
        var transaction = transactionId is { } id
            ? await db.LedgerTransactions.AsNoTracking().Include(t => t.Entries).FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            : null;
        if (transaction?.LeafIndex is not { } leafIndex)
        {
            return new OrderInclusionResult.NotFound();
        }

        var latest = await checkpoints.LatestAsync(cancellationToken);
        if (latest is null || latest.TreeSize <= leafIndex)
        {
            return new OrderInclusionResult.Pending(transaction.Id, leafIndex, latest);
        }

        var (_, path) = await LedgerTree.InclusionProofAsync(db, leafIndex, latest.TreeSize, cancellationToken);
        return new OrderInclusionResult.Included(new OrderInclusion(transaction.Id, transaction.Canonical(), leafIndex, path, latest));
    }
}
