using System.Data.Common;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.Core.Tests.Ledger;

public sealed class WhenTransactionsJoinTheMerkleTree(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Each_posting_becomes_the_next_leaf_and_the_stored_tree_is_the_tree_of_the_canonical_bytes()
    {
        var payer = await database.CreateUserAsync(fundedUnits: 10_000);
        var payee = await database.CreateUserAsync();
        for (var i = 0; i < 9; i++)
        {
            await PayAsync(payer, payee, 10 + i);
        }

        await using var db = database.NewContext();
        var transactions = await db.LedgerTransactions.AsNoTracking().Include(t => t.Entries).OrderBy(t => t.Id).ToListAsync();
        Assert.Equal(Enumerable.Range(0, transactions.Count).Select(i => (long?)i), transactions.Select(t => t.LeafIndex));
        Assert.Equal(transactions.Count, await LedgerTree.SizeAsync(db));

        var expected = MerkleRange.Empty();
        foreach (var transaction in transactions)
        {
            expected.Append(Merkle.LeafHash(System.Text.Encoding.UTF8.GetBytes(transaction.Canonical())));
        }

        Assert.Equal(expected.Root(), await LedgerTree.RootAsync(db, transactions.Count));
    }

    [Fact]
    public async Task Proofs_read_from_the_database_are_the_proofs_of_the_whole_tree_for_every_leaf_and_size()
    {
        var payer = await database.CreateUserAsync(fundedUnits: 10_000);
        var payee = await database.CreateUserAsync();
        for (var i = 0; i < 12; i++)
        {
            await PayAsync(payer, payee, 5);
        }

        await using var db = database.NewContext();
        var leaves = (await db.LedgerTreeNodes.AsNoTracking().Where(n => n.Level == 0).OrderBy(n => n.Position).ToListAsync()).Select(n => n.Hash).ToList();
        var reference = WhenCheckingTheMerkleTreeAgainstTheCctvVectors.InMemoryTree(leaves);
        Assert.True(leaves.Count >= 14);
        for (long size = 1; size <= leaves.Count; size++)
        {
            var root = await LedgerTree.RootAsync(db, size);
            Assert.Equal(MerkleProofs.Root(size, reference), root);
            for (long i = 0; i < size; i++)
            {
                var (leafHash, path) = await LedgerTree.InclusionProofAsync(db, i, size);
                Assert.Equal(leaves[(int)i], leafHash);
                Assert.Equal(MerkleProofs.InclusionPath(i, size, reference), path);
                Assert.True(Merkle.VerifyInclusion(leafHash, i, size, path, root));
            }

            for (long old = 0; old <= size; old++)
            {
                var path = await LedgerTree.ConsistencyPathAsync(db, old, size);
                Assert.Equal(MerkleProofs.ConsistencyPath(old, size, reference), path);
                Assert.True(Merkle.VerifyConsistency(old, size, await LedgerTree.RootAsync(db, old), root, path));
            }
        }
    }

    [Theory]
    [InlineData(1_000_000L)]
    [InlineData(4_294_967_297L)]
    [InlineData(987_654_321_987L)]
    public void A_proof_in_a_huge_tree_reads_a_few_dozen_nodes(long size)
    {
        var reads = 0;
        NodeReader read = (level, position) =>
        {
            reads++;
            Assert.True(position >= 0 && ((position + 1) << level) <= size, $"node {level}/{position} lies outside a tree of {size}");
            return System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes((position << 6) | (long)level));
        };
        var bound = (2 * (64 - long.LeadingZeroCount(size))) + 2;

        foreach (var index in new[] { 0, size / 3, size - 2, size - 1 })
        {
            reads = 0;
            _ = MerkleProofs.InclusionPath(index, size, read);
            Assert.InRange(reads, 1, bound);
        }

        foreach (var old in new[] { 1, size / 2, size - 1 })
        {
            reads = 0;
            _ = MerkleProofs.ConsistencyPath(old, size, read);
            Assert.InRange(reads, 1, bound);
        }
    }

    [Fact]
    public async Task A_proof_touches_only_tree_nodes_in_one_query_never_the_transactions()
    {
        var payer = await database.CreateUserAsync(fundedUnits: 10_000);
        var payee = await database.CreateUserAsync();
        for (var i = 0; i < 5; i++)
        {
            await PayAsync(payer, payee, 1);
        }

        var commands = new CommandLog();
        await using var db = database.NewContext(commands);
        var size = await LedgerTree.SizeAsync(db);
        commands.Clear();

        _ = await LedgerTree.InclusionProofAsync(db, size / 2, size);
        _ = await LedgerTree.ConsistencyPathAsync(db, size / 2, size);

        Assert.Equal(2, commands.Count);
        Assert.All(commands.Texts, sql => Assert.Contains("ledger_tree_nodes", sql, StringComparison.Ordinal));
        Assert.All(commands.Texts, sql => Assert.DoesNotContain("ledger_transactions", sql, StringComparison.Ordinal));
        Assert.All(commands.Texts, sql => Assert.DoesNotContain("ledger_entries", sql, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_posting_and_a_callers_rolled_back_transaction_leave_the_tree_as_it_was()
    {
        var user = await database.CreateUserAsync(fundedUnits: 100);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        await using var db = database.NewContext();
        var size = await LedgerTree.SizeAsync(db);
        var root = await LedgerTree.RootAsync(db, size);

        Assert.IsType<PostingResult.InsufficientFunds>(await database.Ledger(db).PostAsync(new Posting($"dear:{Guid.NewGuid():N}", TransactionKind.Purchase, "Too dear", [new(user.AvailableId, -600), new(revenue, 600)])));
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            Assert.IsType<PostingResult.Posted>(await database.Ledger(db).PostAsync(new Posting($"undone:{Guid.NewGuid():N}", TransactionKind.Purchase, "Undone", [new(user.AvailableId, -60), new(revenue, 60)])));
            await transaction.RollbackAsync();
        }

        db.ChangeTracker.Clear();
        Assert.Equal(size, await LedgerTree.SizeAsync(db));
        Assert.Equal(root, await LedgerTree.RootAsync(db, size));

        await PayAsync(user, await database.CreateUserAsync(), 1);
        await using var read = database.NewContext();
        Assert.Equal(await read.LedgerTransactions.CountAsync(), await LedgerTree.SizeAsync(read));
        Assert.Empty((await database.ReconcileAsync()).Discrepancies);
    }

    [Fact]
    public async Task A_ledger_from_before_the_tree_is_placed_on_start_in_batches_to_the_same_root()
    {
        var user = await database.CreateUserAsync(fundedUnits: 7_000);
        await database.FundAsync(user, 3_000);
        await using var db = database.NewContext();
        var size = await LedgerTree.SizeAsync(db);
        var root = await LedgerTree.RootAsync(db, size);
        var leaves = await db.LedgerTransactions.AsNoTracking().OrderBy(t => t.Id).Select(t => t.LeafIndex).ToListAsync();
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"ledger_tree_nodes\"");
        await db.Database.ExecuteSqlRawAsync("UPDATE \"ledger_transactions\" SET \"LeafIndex\" = NULL");

        await new DatabaseInitializer(db, database.Clock).InitializeAsync();

        Assert.Equal(size, await LedgerTree.SizeAsync(db));
        Assert.Equal(root, await LedgerTree.RootAsync(db, size));
        Assert.Equal(leaves, await db.LedgerTransactions.AsNoTracking().OrderBy(t => t.Id).Select(t => t.LeafIndex).ToListAsync());
    }

    private async Task PayAsync(TestUser from, TestUser to, long units)
    {
        await using var db = database.NewContext();
        var result = await database.Ledger(db).PostAsync(new Posting($"pay:{Guid.NewGuid():N}", TransactionKind.Transfer, "Pay", [new(from.AvailableId, -units), new(to.AvailableId, units)]));
        Assert.IsType<PostingResult.Posted>(result);
    }

    /// <summary>The SQL every command of one context ran.</summary>
    internal sealed class CommandLog : DbCommandInterceptor
    {
        private readonly List<string> _texts = [];

        public int Count => _texts.Count;

        public IReadOnlyList<string> Texts => _texts;

        public void Clear() => _texts.Clear();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            _texts.Add(command.CommandText);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
