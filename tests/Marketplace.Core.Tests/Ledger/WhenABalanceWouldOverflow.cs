using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;
using Marketplace.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

/// <summary>
/// SQLite quietly turns an integer sum past 64 bits into a floating-point number. Balances must never go there: the
/// ledger refuses a posting past its limit, the database refuses a balance that is not an integer, and
/// reconciliation reports a ledger damaged that way instead of crashing on it.
/// </summary>
public sealed class WhenABalanceWouldOverflow : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_posting_past_the_balance_limit_is_refused_and_changes_nothing()
    {
        var user = await _database.CreateUserAsync();
        var nearLimit = Account.MaxBalanceUnits - 50;
        await SetBalanceAsync(user.AvailableId, nearLimit);
        var promotions = await _database.AccountIdAsync(AccountCodes.Promotions);
        var promotionsBefore = await _database.BalanceAsync(promotions);
        var transactions = await _database.TransactionCountAsync();

        await using var db = _database.NewContext();
        var result = await _database.Ledger(db).PostAsync(new Posting("over-the-limit", TransactionKind.BonusGrant, "Too much", [new(promotions, -100), new(user.AvailableId, 100)]));

        Assert.Equal(new PostingResult.LimitExceeded(user.AvailableId), result);
        Assert.Equal(nearLimit, await _database.BalanceAsync(user.AvailableId));
        Assert.Equal(promotionsBefore, await _database.BalanceAsync(promotions));
        Assert.Equal(transactions, await _database.TransactionCountAsync());
    }

    [Fact]
    public async Task A_line_larger_than_any_operation_is_a_bug_the_ledger_refuses()
    {
        var user = await _database.CreateUserAsync();
        var promotions = await _database.AccountIdAsync(AccountCodes.Promotions);
        await using var db = _database.NewContext();

        await Assert.ThrowsAsync<ArgumentException>(() => _database.Ledger(db).PostAsync(
            new Posting("huge", TransactionKind.BonusGrant, "Huge", [new(promotions, -(Posting.MaxLineUnits + 1)), new(user.AvailableId, Posting.MaxLineUnits + 1)])));
        Assert.Equal(0, await _database.BalanceAsync(user.AvailableId));
    }

    [Fact]
    [Trait(TestProvider.Trait, TestProvider.SqliteOnly)]
    public async Task The_database_refuses_a_balance_that_overflows_into_a_floating_point_number()
    {
        var user = await _database.CreateUserAsync(fundedUnits: 1_000);

        await using var db = _database.NewContext();
        var error = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlAsync($"UPDATE \"accounts\" SET \"Balance\" = \"Balance\" + {long.MaxValue} WHERE \"Id\" = {user.AvailableId}"));

        Assert.Contains("integer", error.Message, StringComparison.Ordinal);
        Assert.Equal(1_000, await _database.BalanceAsync(user.AvailableId));
        Assert.Equal("integer", await TypeOfBalanceAsync(user.AvailableId));
    }

    [Fact]
    public async Task The_database_refuses_a_balance_past_the_ledgers_limit_or_past_64_bits()
    {
        var user = await _database.CreateUserAsync(fundedUnits: 1_000);

        await using var db = _database.NewContext();
        // SQLite's triggers refuse the overflow into a floating-point number; PostgreSQL's bigint and CHECK constraints refuse both.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlAsync($"UPDATE \"accounts\" SET \"Balance\" = \"Balance\" + {long.MaxValue} WHERE \"Id\" = {user.AvailableId}"));
        if (TestProvider.IsPostgres)
        {
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlAsync($"UPDATE \"accounts\" SET \"Balance\" = {Account.MaxBalanceUnits + 1} WHERE \"Id\" = {user.AvailableId}"));
        }

        Assert.Equal(1_000, await _database.BalanceAsync(user.AvailableId));
    }

    [Fact]
    [Trait(TestProvider.Trait, TestProvider.SqliteOnly)]
    public async Task Reconciliation_reports_a_ledger_damaged_by_an_overflow_instead_of_crashing()
    {
        var user = await _database.CreateUserAsync(fundedUnits: 1_000);
        var promotions = await _database.AccountIdAsync(AccountCodes.Promotions);
        // What a database written before the guards could hold: entries whose sum does not fit 64 bits, and the
        // floating-point balance SQLite made of it.
        await using (var db = _database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS accounts_balance_is_integer_on_update; DROP TRIGGER IF EXISTS ledger_entries_amounts_are_integers;");
            var transactionId = await db.LedgerTransactions.Select(t => t.Id).MaxAsync();
            await db.Database.ExecuteSqlAsync($"INSERT INTO \"ledger_entries\" (\"TransactionId\", \"AccountId\", \"Amount\", \"BalanceAfter\") VALUES ({transactionId}, {user.AvailableId}, {long.MaxValue - 10}, 0), ({transactionId}, {promotions}, {-(long.MaxValue - 10)}, 0)");
            await db.Database.ExecuteSqlAsync($"UPDATE \"accounts\" SET \"Balance\" = \"Balance\" + {long.MaxValue - 10} WHERE \"Id\" = {user.AvailableId}");
        }

        Assert.Equal("real", await TypeOfBalanceAsync(user.AvailableId));

        var run = await _database.ReconcileAsync();

        Assert.Equal(ReconciliationStatus.Discrepancies, run.Status);
        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.IntegerBalance && d.AccountId == user.AvailableId);
        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.AccountBalance && d.Found.StartsWith("failed:", StringComparison.Ordinal));
    }

    private async Task SetBalanceAsync(long accountId, long balance)
    {
        await using var db = _database.NewContext();
        Assert.Equal(1, await db.Database.ExecuteSqlAsync($"UPDATE \"accounts\" SET \"Balance\" = {balance} WHERE \"Id\" = {accountId}"));
    }

    private async Task<string> TypeOfBalanceAsync(long accountId)
    {
        await using var db = _database.NewContext();
        return await db.Database.SqlQuery<string>($"SELECT typeof(Balance) AS Value FROM accounts WHERE Id = {accountId}").SingleAsync();
    }
}
