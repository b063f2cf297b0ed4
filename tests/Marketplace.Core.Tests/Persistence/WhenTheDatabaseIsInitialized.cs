using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Persistence;

public class WhenTheDatabaseIsInitialized(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Running_it_again_changes_nothing()
    {
        var before = await CountsAsync();

        await using (var db = database.NewContext())
        {
            await new DatabaseInitializer(db, database.Clock).InitializeAsync();
        }

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Every_platform_and_clearing_account_exists_once_and_may_go_negative()
    {
        await using var db = database.NewContext();
        var platform = await db.Accounts.AsNoTracking().Where(a => a.OwnerId == null).ToListAsync();
        string[] expected = [AccountCodes.Revenue, AccountCodes.Promotions, AccountCodes.Adjustments, .. PaymentGateways.Names.Select(AccountCodes.Clearing)];

        Assert.Equal(expected.Order(StringComparer.Ordinal), platform.Select(a => a.Code).Order(StringComparer.Ordinal));
        Assert.All(platform, a => Assert.True(a.AllowNegative));
    }

    [Fact]
    public async Task The_demo_catalog_has_at_least_twelve_products_of_both_kinds()
    {
        await using var db = database.NewContext();
        var kinds = await db.Products.AsNoTracking().Select(p => p.Kind).ToListAsync();

        Assert.True(kinds.Count >= 12, $"Only {kinds.Count} products were seeded.");
        Assert.Contains(ProductKind.Digital, kinds);
        Assert.Contains(ProductKind.Service, kinds);
        Assert.Equal(DemoCatalog.Sellers.Count, await db.Users.CountAsync(u => DemoCatalog.Sellers.Select(s => s.Id).Contains(u.Id)));
    }

    private async Task<(int Accounts, int Products, int Users, int Transactions)> CountsAsync()
    {
        await using var db = database.NewContext();
        return (await db.Accounts.CountAsync(), await db.Products.CountAsync(), await db.Users.CountAsync(), await db.LedgerTransactions.CountAsync());
    }
}
