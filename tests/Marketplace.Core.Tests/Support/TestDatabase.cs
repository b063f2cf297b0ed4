using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Marketplace.Tests.Support;

namespace Marketplace.Core.Tests.Support;

/// <summary>A user and the ids of their two wallet accounts.</summary>
public sealed record TestUser(Guid Id, long AvailableId, long HeldId);

/// <summary>
/// A real database, migrated and seeded once per test class: a SQLite file in its own temp folder, or with
/// <c>TEST_DATABASE_PROVIDER=Postgres</c> a PostgreSQL database of its own (the temp folder still holds the key files).
/// Every caller gets its own context, because concurrent workers must never share one.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "marketplace-core-tests", Guid.NewGuid().ToString("N"));

    private readonly Lazy<LedgerWriter> _writer;

    public TestDatabase() => _writer = new(() => new LedgerWriter(NewContext));

    public ManualClock Clock { get; } = new(ManualClock.DefaultStart);

    /// <summary>The SQLite file; tests that read it are SQLite-only.</summary>
    public string FilePath => Path.Combine(_directory, "marketplace.db");

    public DatabaseSettings Settings => field ??= new DatabaseSettings(
        TestProvider.Kind,
        TestProvider.IsPostgres ? TestProvider.ConnectionString(TestProvider.DatabaseNameFor(_directory)) : $"Data Source={FilePath}",
        _directory);

    public string Directory => _directory;

    /// <summary>A context on a SQLite file of the caller's (for tests about the file itself).</summary>
    public static MarketplaceDb Open(string file, string directory, params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors) =>
        Open(new DatabaseSettings(DatabaseKind.Sqlite, $"Data Source={file}", directory), interceptors);

    public static MarketplaceDb Open(DatabaseSettings settings, params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors)
    {
        var builder = new DbContextOptionsBuilder<MarketplaceDb>();
        DatabaseProvider.Configure(builder, settings);
        builder.AddInterceptors(interceptors);
        return new MarketplaceDb(builder.Options);
    }

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        if (TestProvider.IsPostgres)
        {
            TestProvider.CreateDatabase(TestProvider.DatabaseNameFor(_directory));
        }

        await using var db = NewContext();
        await new DatabaseInitializer(db, Clock).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_writer.IsValueCreated)
        {
            await _writer.Value.DisposeAsync();
        }

        if (TestProvider.IsPostgres)
        {
            TestProvider.DropDatabase(TestProvider.DatabaseNameFor(_directory));
        }
        else
        {
            // Pooled connections keep the file (and its -wal/-shm companions) open otherwise.
            SqliteConnection.ClearAllPools();
        }

        System.IO.Directory.Delete(_directory, recursive: true);
    }

    public MarketplaceDb NewContext() => Open(Settings);

    /// <summary>A context that runs <paramref name="interceptors"/> on its commands.</summary>
    public MarketplaceDb NewContext(params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors) => Open(Settings, interceptors);

    /// <summary>
    /// The database's group-commit writer, as the app has one: postings made outside a transaction through
    /// <see cref="Ledger"/> (and purchases) are committed by it.
    /// </summary>
    public LedgerWriter Writer => _writer.Value;

    public LedgerService Ledger(MarketplaceDb db) => new(db, Clock, Writer);

    /// <summary>The receipt key of this database's data directory, created on first use as the app would.</summary>
    public ReceiptSigner Signer => field ??= ReceiptSigner.LoadOrCreate(ReceiptSigner.DefaultKeyFile(_directory));

    public LedgerCheckpoints Checkpoints(MarketplaceDb db) => new(db, Signer, Clock, NullLogger<LedgerCheckpoints>.Instance);

    public async Task<TestUser> CreateUserAsync(long fundedUnits = 0)
    {
        var id = Guid.NewGuid();
        await using (var db = NewContext())
        {
            db.Users.Add(User.Register(id, $"{id:N}@example.test", "Test user", new byte[32], Clock.UtcNow));
            Ledger(db).OpenUserAccounts(id);
            await db.SaveChangesAsync();
        }

        await using var read = NewContext();
        var accounts = await Ledger(read).UserAccountsAsync(id);
        var user = new TestUser(id, accounts.AvailableId, accounts.HeldId);
        if (fundedUnits > 0)
        {
            await FundAsync(user, fundedUnits);
        }

        return user;
    }

    /// <summary>Grants credits from the promotions account, as a welcome grant does (a bonus grant belongs to a package payment, which reconciliation checks).</summary>
    public async Task FundAsync(TestUser user, long units)
    {
        await using var db = NewContext();
        var ledger = Ledger(db);
        var promotions = await ledger.AccountIdAsync(AccountCodes.Promotions);
        var result = await ledger.PostAsync(new Posting($"fund:{Guid.NewGuid():N}", TransactionKind.WelcomeGrant, "Test funding", [new(promotions, -units), new(user.AvailableId, units)]));
        Assert.IsType<PostingResult.Posted>(result);
    }

    public async Task<long> AccountIdAsync(string code)
    {
        await using var db = NewContext();
        return await Ledger(db).AccountIdAsync(code);
    }

    public async Task<long> BalanceAsync(long accountId)
    {
        await using var db = NewContext();
        return await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Balance).SingleAsync();
    }

    /// <summary>What reconciliation proves: every transaction balances, stored balances equal their entries, no user account is negative.</summary>
    public async Task AssertLedgerConsistentAsync()
    {
        await using var db = NewContext();
        var unbalanced = await db.LedgerEntries
            .GroupBy(e => e.TransactionId)
            .Select(g => new { TransactionId = g.Key, Sum = g.Sum(e => e.Amount), Lines = g.Count() })
            .Where(t => t.Sum != 0 || t.Lines < 2)
            .ToListAsync();
        Assert.Empty(unbalanced);

        var sums = await db.LedgerEntries
            .GroupBy(e => e.AccountId)
            .Select(g => new { AccountId = g.Key, Sum = g.Sum(e => e.Amount) })
            .ToDictionaryAsync(s => s.AccountId, s => s.Sum);
        var accounts = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.Balance, a.AllowNegative }).ToListAsync();
        Assert.All(accounts, a => Assert.Equal(sums.GetValueOrDefault(a.Id), a.Balance));
        Assert.All(accounts.Where(a => !a.AllowNegative), a => Assert.True(a.Balance >= 0, $"Account {a.Id} is negative: {a.Balance}."));
    }

    public async Task<int> TransactionCountAsync()
    {
        await using var db = NewContext();
        return await db.LedgerTransactions.CountAsync();
    }

    public async Task<int> EntryCountAsync()
    {
        await using var db = NewContext();
        return await db.LedgerEntries.CountAsync();
    }
}
