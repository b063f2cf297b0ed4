using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Persistence;

/// <summary>Applies migrations and seeds what every installation needs; safe to run on every start.</summary>
public sealed class DatabaseInitializer(MarketplaceDb db, TimeProvider clock)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        // Instances behind a load balancer start together: one at a time migrates, backfills and seeds.
        await using var startLock = await DatabaseProvider.LockStartAsync(db, cancellationToken);
        await DatabaseProvider.MigrateAsync(db, cancellationToken);
        // Transactions recorded before the hash chain existed are chained once, oldest first.
        await LedgerChain.BackfillAsync(db, cancellationToken);
        // Then they join the Merkle tree, in the same order.
        await LedgerTree.BackfillAsync(db, cancellationToken);
        try
        {
            await SeedAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseProvider.IsUniqueViolation(e))
        {
            // Another instance starting at the same moment seeded between this one's look and its insert. What it wrote
            // is what this one would have; looking again finds it and adds whatever is still missing.
            db.ChangeTracker.Clear();
            await SeedAsync(cancellationToken);
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;

        var platform = new List<(string Code, AccountKind Kind)>
        {
            (AccountCodes.Revenue, AccountKind.PlatformRevenue),
            (AccountCodes.Promotions, AccountKind.PlatformPromotions),
            (AccountCodes.Adjustments, AccountKind.PlatformAdjustments),
        };
        // Every gateway the registry knows has its clearing account, configured here or not: money that came through it stays accounted for.
        platform.AddRange(PaymentGateways.Names.Select(g => (AccountCodes.Clearing(g), AccountKind.GatewayClearing)));
        var existing = await db.Accounts.Where(a => a.OwnerId == null).Select(a => a.Code).ToListAsync(cancellationToken);
        foreach (var (code, kind) in platform.Where(p => !existing.Contains(p.Code)))
        {
            db.Accounts.Add(Account.ForPlatform(code, kind, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await SeedCatalogAsync(now, cancellationToken);
    }

    private async Task SeedCatalogAsync(DateTime now, CancellationToken cancellationToken)
    {
        if (await db.Products.AnyAsync(cancellationToken))
        {
            return;
        }

        var ledger = new LedgerService(db, clock);
        foreach (var seller in DemoCatalog.Sellers)
        {
            db.Users.Add(User.SeededSeller(seller.Id, seller.Email, seller.DisplayName, now));
            ledger.OpenUserAccounts(seller.Id);
        }

        foreach (var p in DemoCatalog.Products)
        {
            db.Products.Add(Product.Seed(p.Id, p.SellerId, p.Name, p.Description, p.Category, p.Kind, p.PriceUnits, now));
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
