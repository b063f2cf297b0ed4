using Marketplace.Core.Identity;
using Marketplace.Core.Tests.Support;
using Marketplace.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Tests.Persistence;

/// <summary>
/// Migration 20261201050000 moves an admin's decision on a bank transfer off payments into bank_transfer_decisions:
/// decisions recorded before it keep their amount, admin, time and note; undecided transfers get no row.
/// </summary>
public sealed class WhenBankDecisionsMoveToTheirOwnTable : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "marketplace-core-tests", Guid.NewGuid().ToString("N"));

    public WhenBankDecisionsMoveToTheirOwnTable() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    [Trait(TestProvider.Trait, TestProvider.SqliteOnly)]
    public async Task Existing_decisions_are_copied_and_the_columns_leave_payments()
    {
        var file = Path.Combine(_directory, "upgrade.db");
        var shopper = Guid.NewGuid();
        var admin = Guid.NewGuid();
        var confirmed = Guid.NewGuid();
        var rejected = Guid.NewGuid();
        var waiting = Guid.NewGuid();
        var decidedAt = new DateTime(2026, 11, 30, 9, 15, 0, DateTimeKind.Utc);
        await using (var db = TestDatabase.Open(file, _directory))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261201020100_InboxClaims");
            db.Users.Add(User.Register(shopper, "shopper@example.test", "Shopper", new byte[32], decidedAt));
            db.Users.Add(User.Register(admin, "admin@example.test", "Admin", new byte[32], decidedAt));
            await db.SaveChangesAsync();
            await InsertAsync(db, confirmed, shopper, status: 3, "MC-AAAA-AAAA", received: 99000, admin, decidedAt, "short by 10.00");
            await InsertAsync(db, rejected, shopper, status: 4, "MC-BBBB-BBBB", received: null, admin, decidedAt, "never arrived");
            await InsertAsync(db, waiting, shopper, status: 2, "MC-CCCC-CCCC", received: null, decidedBy: null, decidedAt: null, note: null);
        }

        await using (var db = TestDatabase.Open(file, _directory))
        {
            await db.Database.MigrateAsync();

            var decisions = await db.BankTransferDecisions.AsNoTracking().OrderBy(d => d.Note).ToListAsync();
            Assert.Equal(2, decisions.Count);
            var never = decisions[0];
            var shortBy = decisions[1];
            Assert.Equal((rejected, (long?)null, admin, decidedAt, "never arrived"), (never.PaymentId, never.ReceivedMinor, never.DecidedById, never.DecidedAt, never.Note));
            Assert.Equal((confirmed, (long?)99000, admin, decidedAt, "short by 10.00"), (shortBy.PaymentId, shortBy.ReceivedMinor, shortBy.DecidedById, shortBy.DecidedAt, shortBy.Note));
            Assert.Equal(3, await db.Payments.CountAsync());
            var columns = await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM pragma_table_info('payments')").ToListAsync();
            Assert.DoesNotContain("ReceivedMinor", columns);
            Assert.DoesNotContain("DecisionNote", columns);
            Assert.Contains("ProviderReference", columns);
        }
    }

    // Written as the columns stood before the migration, which the model no longer has; values are the test's own.
    private static Task<int> InsertAsync(DbContext db, Guid id, Guid userId, int status, string reference, long? received, Guid? decidedBy, DateTime? decidedAt, string? note)
    {
        static string Text(string? value) => value is null ? "NULL" : $"'{value}'";
        var sql = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"""
            INSERT INTO "payments" ("Id", "UserId", "Gateway", "AmountMinor", "Currency", "CreditsUnits", "Status", "ProviderReference", "CreatedAt", "UpdatedAt", "ReceivedMinor", "DecidedById", "DecidedAt", "DecisionNote")
            VALUES ({Text(id.ToString().ToUpperInvariant())}, {Text(userId.ToString().ToUpperInvariant())}, 'bank', 100000, 'USD', 100000, {status}, {Text(reference)},
                    '2026-11-29 10:00:00', '2026-11-29 10:00:00', {(received is { } r ? r.ToString(System.Globalization.CultureInfo.InvariantCulture) : "NULL")},
                    {Text(decidedBy?.ToString().ToUpperInvariant())}, {Text(decidedAt?.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture))}, {Text(note)})
            """);
        return db.Database.ExecuteSqlRawAsync(sql);
    }
}
