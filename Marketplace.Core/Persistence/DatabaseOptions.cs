using Marketplace.Core.Settings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Core.Persistence;

/// <summary>
/// The database and where its files live: SQLite at data/marketplace.db under the content root unless
/// <c>ConnectionStrings__Marketplace</c> says otherwise; key files and the job storage beside the database
/// (<c>Storage__DataDirectory</c> overrides). Resolved into <see cref="DatabaseSettings"/>.
/// </summary>
public sealed class DatabaseOptions : ISettings<DatabaseOptions>
{
    private string _contentRoot = Directory.GetCurrentDirectory();

    public static string Section => string.Empty;

    [ConfigurationKeyName("Database:Provider")]
    public DatabaseKind Provider { get; init; } = DatabaseKind.Sqlite;

    [ConfigurationKeyName("ConnectionStrings:Marketplace")]
    public string? ConnectionString { get; init; }

    [ConfigurationKeyName("Storage:DataDirectory")]
    public string? DataDirectory { get; init; }

    public void ApplyDefaults(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _contentRoot = environment.ContentRootPath;
    }

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (!Enum.IsDefined(Provider))
        {
            check.Invalid(check.Key(nameof(Provider)), "Sqlite or Postgres");
        }
        else if (Provider != DatabaseKind.Sqlite && ConnectionString is null)
        {
            check.Fail(check.Key(nameof(ConnectionString)), "is required for PostgreSQL.");
        }
    }

    /// <summary>The connection string and the data directory, with the defaults filled in and paths made absolute.</summary>
    public DatabaseSettings Resolve()
    {
        var defaultFolder = Path.Combine(_contentRoot, "data");
        var connectionString = ConnectionString ?? $"Data Source={Path.Combine(defaultFolder, "marketplace.db")}";
        var dataDirectory = DataDirectory
            ?? (Provider == DatabaseKind.Sqlite
                ? Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource, _contentRoot)) ?? defaultFolder
                : defaultFolder);
        return new DatabaseSettings(Provider, connectionString, Path.GetFullPath(dataDirectory, _contentRoot));
    }
}
