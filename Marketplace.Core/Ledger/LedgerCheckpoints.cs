using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Core.Ledger;

/// <summary>What asking for a checkpoint gave.</summary>
public abstract record CheckpointResult
{
    private CheckpointResult()
    {
    }

    public sealed record SignedNow(LedgerCheckpoint Checkpoint) : CheckpointResult;

    /// <summary>Nothing was posted since <paramref name="Checkpoint"/>, so no new one was signed.</summary>
    public sealed record Unchanged(LedgerCheckpoint Checkpoint) : CheckpointResult;

    /// <summary>The tree no longer extends the latest checkpoint (history was changed under it); nothing is signed until that is resolved.</summary>
    public sealed record Refused(string Reason) : CheckpointResult;

    /// <summary>The checkpoint signed or found; only <see cref="Refused"/> has none.</summary>
    public LedgerCheckpoint CheckpointOrThrow() => this switch
    {
        SignedNow signed => signed.Checkpoint,
        Unchanged unchanged => unchanged.Checkpoint,
        _ => throw new InvalidOperationException($"{this} has no checkpoint."),
    };
}

/// <summary>A page of checkpoints, newest first; <see cref="NextBefore"/> continues below the last one.</summary>
public sealed record CheckpointPage(IReadOnlyList<LedgerCheckpoint> Items, long? NextBefore);

/// <summary>
/// Signs checkpoints of the ledger's Merkle tree with the receipt key: on the <c>Ledger__CheckpointInterval</c>
/// schedule when the tree has grown, after every reconciliation run (carrying its id and discrepancy count), and when
/// a verifiable statement needs one that covers a transaction the latest does not (bounded by the user's own postings).
/// </summary>
public sealed partial class LedgerCheckpoints(MarketplaceDb db, ReceiptSigner signer, TimeProvider clock, ILogger<LedgerCheckpoints> logger)
{
    public const int MaxPageSize = 100;

    /// <summary>
    /// Signs a checkpoint of the tree as it is now. Without a <paramref name="run"/>, a tree that has not grown since the
    /// latest checkpoint gets none (<see cref="CheckpointResult.Unchanged"/>). Either way the server first checks that
    /// the tree still extends the latest checkpoint, and refuses to sign one that does not.
    /// </summary>
    public async Task<CheckpointResult> SignAsync(ReconciliationRun? run = null, CancellationToken cancellationToken = default)
    {
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var latest = await LatestAsync(cancellationToken);
        var size = await LedgerTree.SizeAsync(db, cancellationToken);
        if (latest is not null)
        {
            var refusal = latest.TreeSize > size
                ? $"The tree has {size} transactions, fewer than the {latest.TreeSize} that checkpoint {latest.Id} signed."
                : StrictBase64Url.Encode(await LedgerTree.RootAsync(db, latest.TreeSize, cancellationToken)) != latest.RootHash
                    ? $"The first {latest.TreeSize} transactions no longer give the root that checkpoint {latest.Id} signed: they were changed after it."
                    : null;
            if (refusal is not null)
            {
                RefusedToSign(logger, refusal);
                return new CheckpointResult.Refused(refusal);
            }

            if (run is null && latest.TreeSize == size)
            {
                NothingChanged(logger, size, latest.Id);
                return new CheckpointResult.Unchanged(latest);
            }
        }

        var checkpoint = LedgerCheckpoint.Sign(latest, size, await LedgerTree.RootAsync(db, size, cancellationToken), clock.GetUtcNow().UtcDateTime, run, signer);
        db.LedgerCheckpoints.Add(checkpoint);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseProvider.IsUniqueViolation(ex))
        {
            // Another instance signed the next checkpoint at the same moment; its checkpoint stands.
            db.Entry(checkpoint).State = EntityState.Detached;
            if (transaction is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
            }

            return new CheckpointResult.Unchanged(await LatestAsync(cancellationToken) ?? throw new InvalidOperationException("A checkpoint conflicted with one that does not exist.", ex));
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        Signed(logger, checkpoint.Id, checkpoint.TreeSize, checkpoint.RootHash);
        return new CheckpointResult.SignedNow(checkpoint);
    }

    /// <summary>The latest checkpoint if it covers the first <paramref name="treeSize"/> transactions, else a new one signed now.</summary>
    public async Task<CheckpointResult> CoveringAsync(long treeSize, CancellationToken cancellationToken = default)
    {
        var latest = await LatestAsync(cancellationToken);
        return latest is not null && latest.TreeSize >= treeSize
            ? new CheckpointResult.Unchanged(latest)
            : await SignAsync(null, cancellationToken);
    }

    public Task<LedgerCheckpoint?> LatestAsync(CancellationToken cancellationToken = default) =>
        db.LedgerCheckpoints.AsNoTracking().OrderByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Checkpoints with id below <paramref name="before"/> (all when null), newest first.</summary>
    public async Task<CheckpointPage> PageAsync(int limit, long? before, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var query = db.LedgerCheckpoints.AsNoTracking();
        if (before is { } cursor)
        {
            query = query.Where(c => c.Id < cursor);
        }

        var rows = await query.OrderByDescending(c => c.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var items = rows.Take(limit).ToList();
        return new CheckpointPage(items, rows.Count > limit ? items[^1].Id : null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed ledger checkpoint {CheckpointId}: tree size {TreeSize}, root {RootHash}")]
    private static partial void Signed(ILogger logger, long checkpointId, long treeSize, string rootHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "No new ledger checkpoint: nothing was posted since checkpoint {CheckpointId} (tree size {TreeSize})")]
    private static partial void NothingChanged(ILogger logger, long treeSize, long checkpointId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Refused to sign a ledger checkpoint: {Reason} Run reconciliation and restore the ledger from a backup.")]
    private static partial void RefusedToSign(ILogger logger, string reason);
}
