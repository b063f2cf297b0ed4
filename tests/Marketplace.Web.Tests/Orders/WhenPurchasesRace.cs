using System.Net;
using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Orders;

/// <summary>Acceptance scenario 5: many buyers at once, and one wallet racing itself for its last credits.</summary>
public sealed class WhenPurchasesRace(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task A_hundred_buyers_at_once_all_succeed_and_seller_and_platform_get_exact_totals()
    {
        using var sellerClient = await ApiClient.RegisteredAsync(app);
        var sellerId = await app.UserIdAsync(sellerClient.User.Email);
        var product = await app.ListProductAsync(sellerId, "12.50");
        var buyers = new List<ApiClient>();
        for (var i = 0; i < 100; i++)
        {
            buyers.Add(await ApiClient.RegisteredAsync(app));
        }

        var intents = buyers.Select(b => (Client: b, Intent: Intents.Spend(product, "12.50"))).ToList();
        foreach (var buyer in buyers)
        {
            await buyer.CsrfTokenAsync();
        }

        var revenueBefore = await app.BalanceUnitsAsync(AccountCodes.Revenue);

        var statuses = await Concurrently.RunAsync(100, async i =>
        {
            using var response = await intents[i].Client.TransactAsync(intents[i].Intent);
            return response.StatusCode;
        });

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(100 * 11_25, await app.AvailableUnitsAsync(sellerId) - 1000_00);
        Assert.Equal(100 * 1_25, await app.BalanceUnitsAsync(AccountCodes.Revenue) - revenueBefore);
        foreach (var buyer in buyers)
        {
            Assert.Equal("987.50", await buyer.AvailableAsync());
            buyer.Dispose();
        }

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        Assert.Equal(100, await db.Orders.CountAsync(o => o.ProductId == product));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Two_hundred_spends_from_a_wallet_that_affords_37_charge_exactly_37()
    {
        // 1,000.00 MC buys 37 at 27.00 (999.00) and leaves 1.00.
        var product = await app.ListProductAsync(DemoCatalog.PixelForge, "27.00");
        using var client = await ApiClient.RegisteredAsync(app);
        var buyerId = await app.UserIdAsync(client.User.Email);
        var sellerBefore = await app.AvailableUnitsAsync(DemoCatalog.PixelForge);
        var intents = Enumerable.Range(0, 200).Select(_ => Intents.Spend(product, "27.00")).ToList();
        await client.CsrfTokenAsync();

        var statuses = await Concurrently.RunAsync(200, async i =>
        {
            using var response = await client.TransactAsync(intents[i]);
            return response.StatusCode;
        });

        Assert.Equal(37, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(163, statuses.Count(s => s == HttpStatusCode.PaymentRequired));
        Assert.Equal(("1.00", "0.00"), await client.BalanceAsync());
        Assert.Equal(37 * 24_30, await app.AvailableUnitsAsync(DemoCatalog.PixelForge) - sellerBefore);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        Assert.Equal(37, await db.Orders.CountAsync(o => o.BuyerId == buyerId));
        var available = AccountCodes.ForUser(buyerId, AccountKind.UserAvailable);
        var accountId = await db.Accounts.Where(a => a.Code == available).Select(a => a.Id).SingleAsync();
        var balancesAfter = await db.LedgerEntries.Where(e => e.AccountId == accountId).Select(e => e.BalanceAfter).ToListAsync();
        Assert.All(balancesAfter, b => Assert.True(b >= 0, $"The wallet went to {b}."));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Twenty_copies_of_one_signed_intent_at_once_charge_once_and_all_carry_the_same_receipt()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var intent = Intents.Spend(Intents.IconPack, "12.50");
        await client.CsrfTokenAsync();

        var answers = await Concurrently.RunAsync(20, async _ =>
        {
            using var response = await client.TransactAsync(intent);
            return (response.StatusCode, Body: await response.ReadJsonAsync());
        });

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Single(answers.Select(a => a.Body.GetProperty("receipt").GetString()).Distinct());
        Assert.Single(answers.Select(a => a.Body.GetProperty("receipt_signature").GetString()).Distinct());
        Assert.Equal("987.50", await client.AvailableAsync());
        await app.AssertLedgerConsistentAsync();
    }
}
