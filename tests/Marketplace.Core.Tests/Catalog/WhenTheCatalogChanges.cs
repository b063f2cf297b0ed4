using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Catalog;

/// <summary>
/// The catalog's version is moved by the database itself, in the writing transaction, whoever writes: cached catalog
/// pages are keyed by it, so a write that did not move it would leave visitors a stale catalog.
/// </summary>
public sealed class WhenTheCatalogChanges(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Listing_editing_withdrawing_and_deleting_a_product_each_move_the_version()
    {
        var seller = await database.CreateUserAsync();
        var id = Guid.NewGuid();

        var before = await VersionAsync();
        await using (var db = database.NewContext())
        {
            db.Products.Add(Product.List(id, seller.Id, "Versioned", "A product whose changes are counted.", "Tests", ProductKind.Digital, new Credits(500), DateTime.UtcNow));
            await db.SaveChangesAsync();
        }

        var listed = await VersionAsync();
        await using (var db = database.NewContext())
        {
            var product = await db.Products.SingleAsync(p => p.Id == id);
            product.Edit("Versioned", "A product whose changes are counted.", "Tests", new Credits(700));
            await db.SaveChangesAsync();
        }

        var repriced = await VersionAsync();
        await using (var db = database.NewContext())
        {
            await db.Products.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.IsAvailable, false));
        }

        var withdrawn = await VersionAsync();
        await using (var db = database.NewContext())
        {
            await db.Products.Where(p => p.Id == id).ExecuteDeleteAsync();
        }

        var deleted = await VersionAsync();

        Assert.True(before < listed, $"listing: {before} -> {listed}");
        Assert.True(listed < repriced, $"price change: {listed} -> {repriced}");
        Assert.True(repriced < withdrawn, $"withdrawal: {repriced} -> {withdrawn}");
        Assert.True(withdrawn < deleted, $"deletion: {withdrawn} -> {deleted}");
    }

    [Fact]
    public async Task A_renamed_user_moves_the_version_and_other_user_changes_do_not()
    {
        var user = await database.CreateUserAsync();

        var before = await VersionAsync();
        await using (var db = database.NewContext())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdmin, true));
        }

        var afterRole = await VersionAsync();
        await using (var db = database.NewContext())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "Renamed seller"));
        }

        var afterRename = await VersionAsync();

        Assert.Equal(before, afterRole);
        Assert.True(afterRole < afterRename, $"rename: {afterRole} -> {afterRename}");
    }

    [Fact]
    public async Task A_write_that_is_rolled_back_leaves_the_version_as_it_was()
    {
        var seller = await database.CreateUserAsync();
        var before = await VersionAsync();

        await using (var db = database.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Products.Add(Product.List(Guid.NewGuid(), seller.Id, "Never listed", "Rolled back.", "Tests", ProductKind.Service, new Credits(100), DateTime.UtcNow));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.Equal(before, await VersionAsync());
    }

    private async Task<long> VersionAsync()
    {
        await using var db = database.NewContext();
        return await new CatalogQueries(db).VersionAsync();
    }
}
