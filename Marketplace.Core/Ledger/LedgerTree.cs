using System.Data.Common;
using System.Globalization;
using System.Text;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

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
    /// inside the database transaction that posts them, after <see cref="LedgerChain"/> linked them. Several
    /// transactions at once cost the same three commands as one.
    /// </summary>
    public static async Task AppendAsync(MarketplaceDb db, IReadOnlyList<LedgerTransaction> transactions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(transactions);
        if (transactions.Count == 0)
        {
            return;
        }

        for (var i = 0; i < transactions.Count; i++)
        {
            if (transactions[i].LeafIndex is { } leaf)
            {
                throw new InvalidOperationException($"Ledger transaction {transactions[i].Id} is already leaf {leaf} of the tree.");
            }

            if (i > 0 && transactions[i].Id <= transactions[i - 1].Id)
            {
                throw new ArgumentException("Transactions join the tree in id order.", nameof(transactions));
            }
        }

        // Plain commands on the posting's own connection and transaction: this runs on every posting, and EF's query
        // pipeline and change tracking would cost several times the SQL itself. Nothing is tracked, so a posting rolled
        // back inside a caller's transaction leaves nothing in the context for a retry to collide with.
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Leaves join the tree inside the database transaction that posts them.");
        var size = await StoredSizeAsync(connection, transaction, cancellationToken);
        var border = MerkleRange.BorderOf(size);
        var hashes = await ReadBorderAsync(connection, transaction, border, cancellationToken);
        var range = MerkleRange.FromBorder(size, border.Select(p => Node(hashes, p.Level, p.Position)).ToList());
        var placed = new List<(long Id, long LeafIndex)>();
        var created = new List<(int Level, long Position, byte[] Hash)>();
        foreach (var posted in transactions)
        {
            placed.Add((posted.Id, range.Size));
            created.AddRange(range.Append(LeafHash(posted.Canonical())));
        }

        await WriteAsync(connection, transaction, placed, created, cancellationToken);
        for (var i = 0; i < transactions.Count; i++)
        {
            transactions[i].PlaceInTree(placed[i].LeafIndex);
            var entry = db.Entry(transactions[i]);
            if (entry.State != EntityState.Detached)
            {
                // Already written above; a later SaveChanges has nothing to update.
                entry.Property(t => t.LeafIndex).OriginalValue = placed[i].LeafIndex;
            }
        }
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
        await DatabaseProvider.LockLedgerAsync(db, cancellationToken);
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

    private static async Task<Dictionary<(int, long), byte[]>> ReadNodesAsync(MarketplaceDb db, List<(int Level, long Position)> positions, CancellationToken cancellationToken)
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

    private static async Task<long> StoredSizeAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """SELECT MAX("Position") FROM "ledger_tree_nodes" WHERE "Level" = 0""");
        return await command.ExecuteScalarAsync(cancellationToken) is long last ? last + 1 : 0;
    }

    private static async Task<Dictionary<(int, long), byte[]>> ReadBorderAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(int Level, long Position)> border, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<(int, long), byte[]>(border.Count);
        if (border.Count == 0)
        {
            return nodes;
        }

        await using var command = Command(connection, transaction, """SELECT "Level", "Position", "Hash" FROM "ledger_tree_nodes" WHERE """);
        var sql = new StringBuilder(command.CommandText);
        for (var i = 0; i < border.Count; i++)
        {
            sql.Append(i == 0 ? "" : " OR ").Append(CultureInfo.InvariantCulture, $"(\"Level\" = {Parameter(command, border[i].Level)} AND \"Position\" = {Parameter(command, border[i].Position)})");
        }

        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes[(reader.GetInt32(0), reader.GetInt64(1))] = (byte[])reader.GetValue(2);
        }

        return nodes;
    }

    /// <summary>Each transaction's leaf index and the new nodes, in one command; throws if any row was not written as expected.</summary>
    private static async Task WriteAsync(DbConnection connection, DbTransaction transaction, List<(long Id, long LeafIndex)> placed, List<(int Level, long Position, byte[] Hash)> created, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "");
        // One UPDATE for all the leaves rather than one per transaction: Microsoft.Data.Sqlite binds every parameter of a
        // command to each of its statements, so a statement per transaction made a group commit's cost grow as n².
        var sql = new StringBuilder("""WITH "leaves" ("Id", "LeafIndex") AS (VALUES """);
        for (var i = 0; i < placed.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({Parameter(command, placed[i].Id)}, {Parameter(command, placed[i].LeafIndex)})");
        }

        sql.Append("""
            )
            UPDATE "ledger_transactions" SET "LeafIndex" = "leaves"."LeafIndex"
            FROM "leaves" WHERE "ledger_transactions"."Id" = "leaves"."Id" AND "ledger_transactions"."LeafIndex" IS NULL;

            """);

        foreach (var chunk in created.Chunk(ReadBatch))
        {
            sql.Append("""INSERT INTO "ledger_tree_nodes" ("Level", "Position", "Hash") VALUES """);
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({Parameter(command, chunk[i].Level)}, {Parameter(command, chunk[i].Position)}, {Parameter(command, chunk[i].Hash)})");
            }

            sql.Append(";\n");
        }

        command.CommandText = sql.ToString();
        var written = await command.ExecuteNonQueryAsync(cancellationToken);
        if (written != placed.Count + created.Count)
        {
            throw new InvalidOperationException($"Placing {placed.Count} transactions in the Merkle tree wrote {written} rows, not {placed.Count + created.Count}.");
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Built from constants and parameter names only; every value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    /// <summary>Adds <paramref name="value"/> as the command's next parameter and returns its name.</summary>
    private static string Parameter(DbCommand command, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }
}
