using System.Net;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Wallet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Ledger;

public sealed class WhenAnOrderPageShowsItsPlaceInTheLedger(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task A_new_order_is_pending_without_signing_anything_and_carries_its_proof_once_a_checkpoint_holds_it()
    {
        using var buyer = await WebShopper.RegisterAsync(app);
        var orderId = (await buyer.Api.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();
        var checkpointsBefore = await CheckpointCountAsync();

        var pending = await buyer.GetHtmlAsync($"/Orders/{orderId}");

        Assert.Contains("data-ledger-proof=\"pending\"", pending, StringComparison.Ordinal);
        Assert.Contains("Pending the next checkpoint", pending, StringComparison.Ordinal);
        Assert.DoesNotContain("data-canonical", pending, StringComparison.Ordinal);
        Assert.Equal(checkpointsBefore, await CheckpointCountAsync());

        var checkpoint = Assert.IsType<CheckpointResult.SignedNow>(await app.SignCheckpointAsync()).Checkpoint;
        var included = await buyer.GetHtmlAsync($"/Orders/{orderId}");

        var transactionId = await QueryAsync(db => db.Orders.Where(o => o.Id == orderId).Select(o => o.LedgerTransactionId).SingleAsync());
        Assert.Contains("data-ledger-proof=\"included\"", included, StringComparison.Ordinal);
        Assert.Contains($"data-transaction-id=\"{transactionId}\"", included, StringComparison.Ordinal);
        Assert.Contains($"data-canonical=\"ledger-v1|{transactionId}|10|", included, StringComparison.Ordinal);
        Assert.Contains($"that checkpoint {checkpoint.Id} signed over the first {checkpoint.TreeSize} transactions", included, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_elses_order_page_is_not_found()
    {
        using var buyer = await WebShopper.RegisterAsync(app);
        using var other = await WebShopper.RegisterAsync(app);
        var orderId = (await buyer.Api.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();

        using var response = await other.GetAsync($"/Orders/{orderId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private Task<int> CheckpointCountAsync() => QueryAsync(db => db.LedgerCheckpoints.CountAsync());

    private async Task<T> QueryAsync<T>(Func<MarketplaceDb, Task<T>> query)
    {
        using var scope = app.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<MarketplaceDb>());
    }
}
