using System.Security.Cryptography;
using System.Text;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

public sealed class WhenTransactionsAreChained(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public void The_canonical_form_is_the_documented_one_and_the_hash_is_its_sha256()
    {
        var created = new DateTime(2026, 11, 22, 2, 0, 0, DateTimeKind.Utc).AddTicks(1234567);

        var canonical = LedgerChain.Canonical(7, TransactionKind.TopUp, "topup:ab|c", created, [(5, 2_500), (2, -2_500)], LedgerChain.Genesis);
        var hash = LedgerChain.Compute(7, TransactionKind.TopUp, "topup:ab|c", created, [(5, 2_500), (2, -2_500)], LedgerChain.Genesis);

        Assert.Equal("ledger-v1|7|1|10:topup:ab|c|2026-11-22T02:00:00.1234567Z|2:-2500,5:2500|" + new string('0', 64), canonical);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), hash);
    }

    [Fact]
    public async Task Every_posting_links_to_the_hash_of_the_transaction_before_it()
    {
        var user = await database.CreateUserAsync(fundedUnits: 5_000);
        await database.FundAsync(user, 1_000);

        await using var db = database.NewContext();
        var chain = await db.LedgerTransactions.AsNoTracking().Include(t => t.Entries).OrderBy(t => t.Id).ToListAsync();
        Assert.NotEmpty(chain);
        Assert.Equal(LedgerChain.Genesis, chain[0].PreviousHash);
        for (var i = 0; i < chain.Count; i++)
        {
            var t = chain[i];
            Assert.Equal(i == 0 ? LedgerChain.Genesis : chain[i - 1].Hash, t.PreviousHash);
            Assert.Equal(LedgerChain.Compute(t.Id, t.Kind, t.IdempotencyKey, t.CreatedAt, t.Entries.Select(e => (e.AccountId, e.Amount)), t.PreviousHash!), t.Hash);
        }
    }

    [Fact]
    public async Task Concurrent_postings_form_one_line_not_a_fork()
    {
        const int Workers = 24;
        var payer = await database.CreateUserAsync(fundedUnits: 1_000_000);
        var payees = new List<TestUser>();
        for (var i = 0; i < 4; i++)
        {
            payees.Add(await database.CreateUserAsync());
        }

        await using (var before = database.NewContext())
        {
            var countBefore = await before.LedgerTransactions.CountAsync();
            var results = await Concurrently.RunAsync(Workers, async i =>
            {
                await using var db = database.NewContext();
                var payee = payees[i % payees.Count];
                return await database.Ledger(db).PostAsync(new Posting($"race:{Guid.NewGuid():N}", TransactionKind.Transfer, "Race", [new(payer.AvailableId, -(100 + i)), new(payee.AvailableId, 100 + i)]));
            });
            Assert.All(results, r => Assert.False(Assert.IsType<PostingResult.Posted>(r).Replayed));
            Assert.Equal(countBefore + Workers, await before.LedgerTransactions.CountAsync());
        }

        await using var read = database.NewContext();
        var links = await read.LedgerTransactions.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.PreviousHash, t.Hash }).ToListAsync();
        Assert.Equal(links.Count, links.Select(l => l.PreviousHash).Distinct().Count());
        Assert.All(links.Skip(1).Zip(links), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        var run = await database.ReconcileAsync();
        Assert.Empty(run.Discrepancies);
    }

    [Fact]
    public async Task A_ledger_from_before_the_chain_is_chained_on_start_to_the_same_hashes()
    {
        var user = await database.CreateUserAsync(fundedUnits: 7_000);
        await database.FundAsync(user, 3_000);
        await using var db = database.NewContext();
        var original = await db.LedgerTransactions.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.Id, t.PreviousHash, t.Hash }).ToListAsync();
        await db.Database.ExecuteSqlRawAsync("UPDATE \"ledger_transactions\" SET \"Hash\" = NULL, \"PreviousHash\" = NULL");

        await new DatabaseInitializer(db, database.Clock).InitializeAsync();

        var chained = await db.LedgerTransactions.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.Id, t.PreviousHash, t.Hash }).ToListAsync();
        Assert.Equal(original, chained);
        Assert.Empty((await database.ReconcileAsync()).Discrepancies);
    }
}
