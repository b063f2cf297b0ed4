using Marketplace.Core.Catalog;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
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
