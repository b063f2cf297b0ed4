using Marketplace.Tests.Support;

namespace Marketplace.E2E.Instances;

/// <summary>
/// The one PostgreSQL database both instances use: created for the test on the server <c>TEST_POSTGRES_CONNECTION</c>
/// names (scripts/test.sh starts one), dropped after it, whatever provider the rest of the suite runs on.
/// </summary>
public sealed class ShopDatabase : IAsyncDisposable
{
    private readonly string _name;

    private ShopDatabase(string name, string connectionString)
    {
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>The environment variables that point an instance at it.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__Marketplace"] = ConnectionString,
    };

    public static Task<ShopDatabase> CreateAsync(DirectoryInfo root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var name = TestProvider.DatabaseNameFor(root.FullName);
        return Task.FromResult(new ShopDatabase(name, TestProvider.CreateDatabase(name)));
    }

    public ValueTask DisposeAsync()
    {
        TestProvider.DropDatabase(_name);
        return ValueTask.CompletedTask;
    }
}
