using System.Globalization;
using System.Text;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Ledger;

/// <summary>
/// One stored node of the ledger's Merkle tree: the hash of the complete subtree of 2^<see cref="Level"/> leaves
/// starting at leaf <c><see cref="Position"/> · 2^Level</c>. Level 0 holds the leaf hashes.
/// </summary>
public sealed class LedgerTreeNode
{
    private LedgerTreeNode()
    {
    }

    public int Level { get; private set; }

    public long Position { get; private set; }

    public byte[] Hash { get; private set; } = [];
}

/// <summary>
/// The ledger as an RFC 9162 Merkle tree: leaf i is <c>SHA-256(0x00 ‖ canonical bytes)</c> of the i-th transaction in
/// id order (<see cref="LedgerTransaction.Canonical"/>, the bytes the hash chain hashes). Every complete subtree is
/// stored once, when its last leaf is appended, inside the posting's own database transaction, so the tree always
/// covers exactly the committed transactions; roots and proofs for any size read O(log n) nodes and never the
/// transactions themselves.
/// </summary>
public static class LedgerTree
{
    /// <summary>Nodes read per query; a proof needs about two per level.</summary>
    private const int ReadBatch = 200;

    /// <summary>
    /// Appends just-chained transactions, in id order, as the next leaves, and records each one's leaf index. Call it
    /// inside the transaction that posts them (after <see cref="LedgerChain"/> linked them); it saves its own changes.
    /// Several transactions at once cost the same two reads as one.
    /// </summary>
    public static async Task AppendAsync(MarketplaceDb db, IReadOnlyList<LedgerTransaction> transactions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(transactions);
        if (transactions.Count == 0)
        {
            return;
        }

        for (var i = 1; i < transactions.Count; i++)
        {
            if (transactions[i].Id <= transactions[i - 1].Id)
            {
                throw new ArgumentException("Transactions join the tree in id order.", nameof(transactions));
            }
        }

        var size = await SizeAsync(db, cancellationToken);
        var border = BorderOf(size);
        var hashes = await ReadNodesAsync(db, border, cancellationToken);
        var range = MerkleRange.FromBorder(size, border.Select(p => Node(hashes, p.Level, p.Position)).ToList());
        var created = new List<(int Level, long Position, byte[] Hash)>();
        foreach (var transaction in transactions)
        {
            if (transaction.LeafIndex is not null)
            {
                throw new InvalidOperationException($"Ledger transaction {transaction.Id} is already leaf {transaction.LeafIndex} of the tree.");
            }

            transaction.PlaceInTree(range.Size);
            created.AddRange(range.Append(LeafHash(transaction.Canonical())));
        }

        // Written as plain rows rather than tracked entities: a posting rolled back inside a caller's transaction must
        // leave nothing in the context that a retry would collide with.
        await InsertNodesAsync(db, created, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A transaction's leaf: SHA-256(0x00 ‖ UTF-8 of its canonical form).</summary>
    public static byte[] LeafHash(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return Merkle.LeafHash(Encoding.UTF8.GetBytes(canonical));
    }

    /// <summary>How many transactions the tree holds.</summary>
    public static async Task<long> SizeAsync(MarketplaceDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var last = await db.LedgerTreeNodes.Where(n => n.Level == 0).MaxAsync(n => (long?)n.Position, cancellationToken);
        return last is { } position ? position + 1 : 0;
    }

    /// <summary>The root of the tree's first <paramref name="size"/> leaves (size ≤ <see cref="SizeAsync"/>).</summary>
    public static Task<byte[]> RootAsync(MarketplaceDb db, long size, CancellationToken cancellationToken = default) =>
        ComputeAsync(db, read => MerkleProofs.Root(size, read), cancellationToken);

    /// <summary>The leaf hash of <paramref name="leafIndex"/> and its inclusion path in the tree of the first <paramref name="size"/> leaves.</summary>
    public static Task<(byte[] LeafHash, List<byte[]> Path)> InclusionProofAsync(MarketplaceDb db, long leafIndex, long size, CancellationToken cancellationToken = default) =>
        ComputeAsync(db, read => (read(0, leafIndex), MerkleProofs.InclusionPath(leafIndex, size, read)), cancellationToken);

    /// <summary>Inclusion paths of several leaves in one tree, read together (a statement's transactions).</summary>
    public static Task<List<List<byte[]>>> InclusionPathsAsync(MarketplaceDb db, IReadOnlyList<long> leafIndexes, long size, CancellationToken cancellationToken = default) =>
        ComputeAsync(db, read => leafIndexes.Select(i => MerkleProofs.InclusionPath(i, size, read)).ToList(), cancellationToken);

    /// <summary>The proof that the tree of <paramref name="to"/> leaves extends the one of <paramref name="from"/> leaves.</summary>
    public static Task<List<byte[]>> ConsistencyPathAsync(MarketplaceDb db, long from, long to, CancellationToken cancellationToken = default) =>
        ComputeAsync(db, read => MerkleProofs.ConsistencyPath(from, to, read), cancellationToken);

    /// <summary>Places transactions recorded before the tree existed, oldest first, after the chain back-fill; a no-op once every row has its leaf.</summary>
    public static async Task<int> BackfillAsync(MarketplaceDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!await db.LedgerTransactions.AnyAsync(t => t.LeafIndex == null, cancellationToken))
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var lastPlaced = await db.LedgerTransactions.Where(t => t.LeafIndex != null).MaxAsync(t => (long?)t.Id, cancellationToken);
        var firstUnplaced = await db.LedgerTransactions.Where(t => t.LeafIndex == null).MinAsync(t => t.Id, cancellationToken);
        if (lastPlaced > firstUnplaced)
        {
            throw new InvalidOperationException(
                $"Ledger transaction {firstUnplaced} has no leaf in the Merkle tree, but the later transaction {lastPlaced} has one: the tree cannot take it in id order. Restore the database from a backup.");
        }

        var placed = 0;
        while (true)
        {
            var batch = await db.LedgerTransactions.Include(t => t.Entries)
                .Where(t => t.LeafIndex == null)
                .OrderBy(t => t.Id)
                .Take(500)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            await AppendAsync(db, batch, cancellationToken);
            placed += batch.Count;
            db.ChangeTracker.Clear();
        }

        await transaction.CommitAsync(cancellationToken);
        return placed;
    }

    /// <summary>Where the border nodes of a tree of <paramref name="size"/> leaves are stored.</summary>
    private static IReadOnlyList<(int Level, long Position)> BorderOf(long size) => MerkleRange.BorderOf(size);

    /// <summary>Runs <paramref name="compute"/> once to learn which nodes it reads, fetches those in as few queries as possible, and runs it again on them.</summary>
    private static async Task<T> ComputeAsync<T>(MarketplaceDb db, Func<NodeReader, T> compute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var wanted = new HashSet<(int Level, long Position)>();
        var placeholder = new byte[Merkle.HashSize];
        compute((level, position) =>
        {
            wanted.Add((level, position));
            return placeholder;
        });
        var nodes = await ReadNodesAsync(db, wanted.ToList(), cancellationToken);
        return compute((level, position) => Node(nodes, level, position));
    }

    private static byte[] Node(Dictionary<(int, long), byte[]> nodes, int level, long position) =>
        nodes.TryGetValue((level, position), out var hash)
            ? hash
            : throw new InvalidOperationException($"The ledger's Merkle tree has no node at level {level}, position {position}: it does not cover the transactions it should.");

    private static async Task<Dictionary<(int, long), byte[]>> ReadNodesAsync(MarketplaceDb db, IReadOnlyList<(int Level, long Position)> positions, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<(int, long), byte[]>(positions.Count);
        foreach (var chunk in positions.Chunk(ReadBatch))
        {
            var sql = new StringBuilder("""SELECT "Level", "Position", "Hash" FROM "ledger_tree_nodes" WHERE """);
            var arguments = new object[chunk.Length * 2];
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : " OR ").Append(CultureInfo.InvariantCulture, $"(\"Level\" = {{{2 * i}}} AND \"Position\" = {{{(2 * i) + 1}}})");
                arguments[2 * i] = chunk[i].Level;
                arguments[(2 * i) + 1] = chunk[i].Position;
            }

            var rows = await db.LedgerTreeNodes.FromSqlRaw(sql.ToString(), arguments).AsNoTracking().ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                nodes[(row.Level, row.Position)] = row.Hash;
            }
        }

        return nodes;
    }

    private static async Task InsertNodesAsync(MarketplaceDb db, List<(int Level, long Position, byte[] Hash)> nodes, CancellationToken cancellationToken)
    {
        foreach (var chunk in nodes.Chunk(ReadBatch))
        {
            var sql = new StringBuilder("""INSERT INTO "ledger_tree_nodes" ("Level", "Position", "Hash") VALUES """);
            var arguments = new object[chunk.Length * 3];
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({{{3 * i}}}, {{{(3 * i) + 1}}}, {{{(3 * i) + 2}}})");
                arguments[3 * i] = chunk[i].Level;
                arguments[(3 * i) + 1] = chunk[i].Position;
                arguments[(3 * i) + 2] = chunk[i].Hash;
            }

            await db.Database.ExecuteSqlRawAsync(sql.ToString(), arguments, cancellationToken);
        }
    }
}
