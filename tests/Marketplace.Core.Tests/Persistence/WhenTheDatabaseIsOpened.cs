using Marketplace.Core.Tests.Support;
using Marketplace.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Persistence;

public class WhenTheDatabaseIsOpened(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [Trait(TestProvider.Trait, TestProvider.SqliteOnly)]
    [InlineData("journal_mode", "wal")]
    [InlineData("synchronous", "2")]
    [InlineData("foreign_keys", "1")]
    [InlineData("busy_timeout", "30000")]
    public async Task Every_fresh_connection_gets_the_money_safe_pragmas(string pragma, string expected)
    {
        await using var db = database.NewContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";

        var value = await command.ExecuteScalarAsync();

        Assert.Equal(expected, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), ignoreCase: true);
    }
}
