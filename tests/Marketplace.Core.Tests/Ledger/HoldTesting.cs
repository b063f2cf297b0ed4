using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Ledger;

internal static class HoldTesting
{
    public static HoldService Holds(this TestDatabase database, MarketplaceDb db) => new(db, database.Ledger(db), database.Clock);

    public static async Task<HoldResult> ReserveAsync(this TestDatabase database, TestUser user, long units, Guid? holdId = null, TimeSpan? lifetime = null)
    {
        await using var db = database.NewContext();
        var expiresAt = database.Clock.UtcNow + (lifetime ?? TimeSpan.FromDays(7));
        return await database.Holds(db).ReserveAsync(holdId ?? Guid.NewGuid(), user.Id, units, "order-test", expiresAt);
    }

    public static async Task<Hold> OpenHoldAsync(this TestDatabase database, TestUser user, long units, TimeSpan? lifetime = null) =>
        Assert.IsType<HoldResult.Done>(await database.ReserveAsync(user, units, lifetime: lifetime)).Hold;

    public static async Task<Hold> StoredHoldAsync(this TestDatabase database, Guid holdId)
    {
        await using var db = database.NewContext();
        return await db.Holds.AsNoTracking().SingleAsync(h => h.Id == holdId);
    }

    public static async Task<int> TransactionCountAsync(this TestDatabase database, string key)
    {
        await using var db = database.NewContext();
        return await db.LedgerTransactions.CountAsync(t => t.IdempotencyKey == key);
    }

    public static string SettleKey(Guid holdId) => $"hold-settle:{holdId:N}";

    public static string ReleaseKey(Guid holdId) => $"hold-release:{holdId:N}";
}
