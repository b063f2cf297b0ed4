using Marketplace.Core.Catalog;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Marketplace.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.Core.Tests.Persistence;

/// <summary>
/// Instances behind a load balancer start together on a fresh database: the second must not fail its start because the
/// first seeded between its look and its insert. Here the other instance's whole start runs exactly in that gap.
/// </summary>
public sealed class WhenTwoInstancesInitializeTogether : IDisposable
{
    private readonly FreshDatabase _database = new();
    private readonly ManualClock _clock = new(ManualClock.DefaultStart);

    [Fact]
    public async Task Four_starting_at_once_on_a_fresh_database_all_start_and_nothing_is_made_twice()
    {
        using var start = new Barrier(4);
        // The database exists, empty, as an operator creates it (or the first instance to open a SQLite file has):
        // SQLite's switch of a brand-new file to WAL is not what this is about.
        await using (var empty = _database.Open())
        {
            await empty.Database.OpenConnectionAsync();
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var db = _database.Open();
            start.SignalAndWait();
            await new DatabaseInitializer(db, _clock).InitializeAsync();
        })));

        await using var check = _database.Open();
        Assert.Equal(DemoCatalog.Products.Count, await check.Products.CountAsync());
        Assert.Equal(await check.Accounts.Select(a => a.Code).Distinct().CountAsync(), await check.Accounts.CountAsync());
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
    }

    // On PostgreSQL the start lock leaves no gap between the look and the insert: one instance initializes at a time.
    [Fact]
    [Trait(TestProvider.Trait, TestProvider.SqliteOnly)]
    public async Task The_one_that_loses_the_race_to_seed_starts_too_and_nothing_is_seeded_twice()
    {
        var other = new OtherInstanceFirst(async () =>
        {
            await using var theirs = _database.Open();
            await new DatabaseInitializer(theirs, _clock).InitializeAsync();
        });

        await using (var db = _database.Open(other))
        {
            await new DatabaseInitializer(db, _clock).InitializeAsync();
        }

        Assert.True(other.Ran);
        await using var check = _database.Open();
        Assert.Equal(DemoCatalog.Products.Count, await check.Products.CountAsync());
        Assert.Equal(await check.Accounts.Select(a => a.Code).Distinct().CountAsync(), await check.Accounts.CountAsync());
    }

    public void Dispose() => _database.Dispose();

    /// <summary>Runs the other instance's start once, just before this one's first insert goes to the database.</summary>
    private sealed class OtherInstanceFirst(Func<Task> start) : SaveChangesInterceptor
    {
        public bool Ran { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (!Ran)
            {
                Ran = true;
                await start();
            }

            return result;
        }
    }
}
