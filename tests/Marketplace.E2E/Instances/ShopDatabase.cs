using Microsoft.Data.Sqlite;

namespace Marketplace.E2E.Instances;

/// <summary>The one database both instances use, created for the test and dropped after it.</summary>
public sealed class ShopDatabase : IAsyncDisposable
{
    private ShopDatabase(IReadOnlyDictionary<string, string> settings) => Settings = settings;

    /// <summary>The environment variables that point an instance at it.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public static Task<ShopDatabase> CreateAsync(DirectoryInfo root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var file = Path.Combine(root.CreateSubdirectory("shared").FullName, "marketplace.db");
        return Task.FromResult(new ShopDatabase(new Dictionary<string, string> { ["ConnectionStrings__Marketplace"] = $"Data Source={file}" }));
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
