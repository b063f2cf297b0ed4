using System.Net;
using Marketplace.Tests.Support;
using Marketplace.Web.Hosting;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Marketplace.Web.Tests.Instances;

/// <summary>
/// <c>db copy-to-postgres</c>: a SQLite shop with shoppers, purchases and a session moves into an empty PostgreSQL
/// database, the command verifies the copy with reconciliation, and the shop carries on there (the same cookie, the same
/// receipt key, the same balances). Its source is a SQLite file by nature; it runs once, with a server of its own.
/// </summary>
[Trait(TestProvider.Trait, TestProvider.SqliteOnly)]
public sealed class WhenMovingASqliteShopToPostgres : IDisposable
{
    private static readonly Uri Origin = new(MarketplaceApp.Origin);

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-move-");
    private readonly string _database = TestProvider.DatabaseNameFor(Guid.NewGuid().ToString("N"));
    private readonly (string Key, string Value)[] _certificate;

    public WhenMovingASqliteShopToPostgres() => _certificate = TestCertificates.Write(_dataDirectory, "keys");

    private string SqliteFile => Path.Combine(_dataDirectory.FullName, "marketplace.db");

    [Fact]
    public async Task Every_table_arrives_the_copy_reconciles_the_same_and_the_shop_carries_on_there()
    {
        var cookies = new CookieContainer();
        var user = TestUser.New();
        string keyBefore;
        using (var sqlite = new SharedDataApp(_dataDirectory, [.. OnSqlite(), .. _certificate]))
        {
            using var shopper = new ApiClient(sqlite.CreateDefaultClient(Origin, new CookieContainerHandler(cookies)));
            using (var registered = await shopper.RegisterAsync(user))
            {
                Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            }

            await shopper.BuyAsync(Intents.IconPack, "12.50");
            await shopper.BuyAsync(Intents.IconPack, "12.50");
            keyBefore = await PublishedKeyAsync(sqlite);
        }

        var connection = TestProvider.CreateDatabase(_database);
        var (exitCode, output, error) = await CopyAsync(connection);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("Copied and verified", output, StringComparison.Ordinal);
        Assert.Contains("the copy reconciles clean", output, StringComparison.Ordinal);
        using var postgres = new SharedDataApp(_dataDirectory, [("Database:Provider", "Postgres"), ("ConnectionStrings:Marketplace", connection), .. _certificate]);
        using var same = new ApiClient(postgres.CreateDefaultClient(Origin, new CookieContainerHandler(cookies)));
        using (var balance = await same.GetAsync("/api/wallet/balance"))
        {
            Assert.True(balance.StatusCode == HttpStatusCode.OK, $"{(int)balance.StatusCode}: {string.Join('\n', postgres.Logs.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(l => l.AllText))}");
        }

        Assert.Equal("975.00", await same.AvailableAsync());
        Assert.Equal(keyBefore, await PublishedKeyAsync(postgres));
        using var bought = await same.TransactAsync(Intents.Spend(Intents.IconPack, "12.50"), signer: user);
        Assert.Equal(HttpStatusCode.Created, bought.StatusCode);
        Assert.Equal("962.50", await same.AvailableAsync());
    }

    [Fact]
    public async Task A_database_that_is_not_empty_is_refused_and_left_as_it_was()
    {
        using (var sqlite = new SharedDataApp(_dataDirectory, [.. OnSqlite(), .. _certificate]))
        {
            _ = await PublishedKeyAsync(sqlite);
        }

        var connection = TestProvider.CreateDatabase(_database);
        Assert.Equal(0, (await CopyAsync(connection)).ExitCode);

        var (exitCode, _, error) = await CopyAsync(connection);

        Assert.Equal(1, exitCode);
        Assert.Contains("is not empty", error, StringComparison.Ordinal);
        Assert.Contains("Nothing was copied", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_connection_string_it_says_how_to_use_it()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, await DatabaseCommand.RunAsync(["db", "copy-to-postgres"], output, error));
        Assert.Contains("db copy-to-postgres \"<connection string>\"", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The command as an operator runs it, with the shop's own settings on its command line.</summary>
    private async Task<(int ExitCode, string Output, string Error)> CopyAsync(string connection)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args =
        [
            "db", "copy-to-postgres", connection,
            "--environment=Production",
            "--PUBLIC_BASE_URL=https://shop.example.test",
            $"--ConnectionStrings:Marketplace=Data Source={SqliteFile}",
            $"--Storage:DataDirectory={_dataDirectory.FullName}",
            .. _certificate.Select(c => $"--{c.Key}={c.Value}"),
        ];
        var exitCode = await DatabaseCommand.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private (string Key, string Value)[] OnSqlite() => [("Database:Provider", "Sqlite"), ("ConnectionStrings:Marketplace", $"Data Source={SqliteFile}")];

    private static async Task<string> PublishedKeyAsync(SharedDataApp app)
    {
        using var anonymous = ApiClient.For(app);
        return (await anonymous.GetJsonAsync("/api/receipts/public-key")).GetProperty("public_key").GetString()!;
    }

    public void Dispose()
    {
        TestProvider.DropDatabase(_database);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dataDirectory.Delete(recursive: true);
    }
}
