using Marketplace.Core.Persistence;
using Marketplace.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Marketplace.Core.Tests.Support;

/// <summary>
/// An empty database of the suite's provider that a test migrates (or copies into) itself: a SQLite file in a temp
/// folder, or a PostgreSQL database of its own. Deleted or dropped with the test.
/// </summary>
public sealed class FreshDatabase : IDisposable
{
    public FreshDatabase()
    {
        Directory.CreateDirectory(Folder);
        Settings = TestProvider.IsPostgres
            ? new DatabaseSettings(DatabaseKind.Postgres, TestProvider.CreateDatabase(TestProvider.DatabaseNameFor(Folder)), Folder)
            : new DatabaseSettings(DatabaseKind.Sqlite, $"Data Source={Path.Combine(Folder, "marketplace.db")}", Folder);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "marketplace-core-tests", Guid.NewGuid().ToString("N"));

    public DatabaseSettings Settings { get; }

    public MarketplaceDb Open(params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors) => TestDatabase.Open(Settings, interceptors);

    public void Dispose()
    {
        if (TestProvider.IsPostgres)
        {
            TestProvider.DropDatabase(TestProvider.DatabaseNameFor(Folder));
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        Directory.Delete(Folder, recursive: true);
    }
}
