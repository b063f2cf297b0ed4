using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core;
using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Orders;

/// <summary>Setup and inspection that has no API of its own: listing a product, reading stored balances, proving the ledger.</summary>
public static class OrderTesting
{
    public static async Task<Guid> UserIdAsync(this MarketplaceApp app, string email)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    /// <summary>Lists a product for <paramref name="sellerId"/>, as a seller's listing page would.</summary>
    public static async Task<Guid> ListProductAsync(this MarketplaceApp app, Guid sellerId, string price, ProductKind kind = ProductKind.Digital, bool available = true)
    {
        Assert.Equal(AmountParse.Ok, Credits.TryParse(price, out var credits));
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        var product = Product.List(Guid.NewGuid(), sellerId, $"Test {kind} at {price}", "Listed by a test.", "Tests", kind, credits, DateTime.UtcNow);
        product.SetAvailable(available);
        db.Products.Add(product);
        await db.SaveChangesAsync();
        return product.Id;
    }

    public static async Task<long> BalanceUnitsAsync(this MarketplaceApp app, string accountCode)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        return await db.Accounts.Where(a => a.Code == accountCode).Select(a => a.Balance).SingleAsync();
    }

    public static Task<long> AvailableUnitsAsync(this MarketplaceApp app, Guid userId) =>
        app.BalanceUnitsAsync(AccountCodes.ForUser(userId, AccountKind.UserAvailable));

    public static Task<long> HeldUnitsAsync(this MarketplaceApp app, Guid userId) =>
        app.BalanceUnitsAsync(AccountCodes.ForUser(userId, AccountKind.UserHeld));

    public static async Task<int> OrderCountAsync(this MarketplaceApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Orders.CountAsync();
    }

    public static async Task<int> TransactionCountAsync(this MarketplaceApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().LedgerTransactions.CountAsync();
    }

    /// <summary>What reconciliation proves: entries sum to zero overall and per transaction, each balance is the sum of its entries, no user account is negative.</summary>
    public static async Task AssertLedgerConsistentAsync(this MarketplaceApp app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        Assert.Equal(0, await db.LedgerEntries.SumAsync(e => e.Amount));
        var unbalanced = await db.LedgerEntries.GroupBy(e => e.TransactionId).Where(g => g.Sum(e => e.Amount) != 0).Select(g => g.Key).ToListAsync();
        Assert.Empty(unbalanced);
        var sums = await db.LedgerEntries.GroupBy(e => e.AccountId).Select(g => new { g.Key, Sum = g.Sum(e => e.Amount) }).ToDictionaryAsync(s => s.Key, s => s.Sum);
        var accounts = await db.Accounts.AsNoTracking().ToListAsync();
        Assert.All(accounts, a => Assert.Equal(sums.GetValueOrDefault(a.Id), a.Balance));
        Assert.All(accounts.Where(a => !a.AllowNegative), a => Assert.True(a.Balance >= 0, $"{a.Code} is negative: {a.Balance}"));
    }

    /// <summary>The balance endpoint as a whole: available and held.</summary>
    public static async Task<(string Available, string Held)> BalanceAsync(this ApiClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = await client.GetJsonAsync("/api/wallet/balance");
        return (body.GetProperty("available").GetString()!, body.GetProperty("held").GetString()!);
    }

    public static async Task<List<JsonElement>> HistoryAsync(this ApiClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = await client.GetJsonAsync("/api/wallet/transactions?limit=100");
        return body.GetProperty("items").EnumerateArray().ToList();
    }

    public static async Task<JsonElement> SessionAsync(this HttpResponseMessage registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        return await registered.Content.ReadFromJsonAsync<JsonElement>();
    }
}
