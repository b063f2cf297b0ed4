using System.Text;
using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Orders;

public sealed class WhenASignedIntentIsExecuted(TestDatabase database, ReceiptKeyFixture key) : IClassFixture<TestDatabase>, IClassFixture<ReceiptKeyFixture>
{
    [Fact]
    public async Task A_digital_purchase_posts_one_balanced_transaction_and_records_the_order()
    {
        var seller = await database.CreateSignerAsync(0);
        var buyer = await database.CreateSignerAsync();
        var product = await database.ListAsync(seller.Id, 12_50, ProductKind.Digital);
        var revenue = await database.AccountIdAsync(AccountCodes.Revenue);
        var revenueBefore = await database.BalanceAsync(revenue);

        var order = await database.BuyAsync(key.Signer, buyer, product, 12_50);

        Assert.Equal(OrderStatus.Completed, order.Status);
        Assert.Equal((12_50, 1_25), (order.TotalUnits, order.CommissionUnits));
        Assert.Equal(987_50, await database.BalanceAsync(buyer.AvailableId));
        Assert.Equal(11_25, await database.BalanceAsync(seller.AvailableId));
        Assert.Equal(1_25, await database.BalanceAsync(revenue) - revenueBefore);
        await using var db = database.NewContext();
        var transaction = await db.LedgerTransactions.Include(t => t.Entries).SingleAsync(t => t.Id == order.LedgerTransactionId);
        Assert.Equal((TransactionKind.Purchase, PurchaseService.SpendKey(buyer.Id, order.Nonce)), (transaction.Kind, transaction.IdempotencyKey));
        Assert.Equal(3, transaction.Entries.Count);
        await database.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_receipt_is_signed_over_its_exact_text_and_names_the_intent_by_its_hash()
    {
        var buyer = await database.CreateSignerAsync();
        var intent = database.Spend(new Guid("9d0d0c7a-0000-4000-8000-000000000006"), 4_50);

        var order = Assert.IsType<PurchaseResult.Succeeded>(await database.ExecuteAsync(key.Signer, buyer, intent)).Order;

        Assert.True(StrictBase64Url.TryDecode(order.ReceiptSignature, out var signature));
        Assert.True(Ed25519.Verify(key.Signer.PublicKey, Encoding.UTF8.GetBytes(order.Receipt), signature));
        Assert.Contains($"\"intent_sha256\":\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(intent)))}\"", order.Receipt, StringComparison.Ordinal);
        Assert.Contains("\"new_balance\":\"995.50\"", order.Receipt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replay_long_after_the_timestamp_window_still_returns_the_stored_receipt()
    {
        var buyer = await database.CreateSignerAsync();
        var intent = database.Spend(new Guid("9d0d0c7a-0000-4000-8000-000000000006"), 4_50);
        var first = Assert.IsType<PurchaseResult.Succeeded>(await database.ExecuteAsync(key.Signer, buyer, intent));
        database.Clock.Advance(TimeSpan.FromHours(1));

        var again = Assert.IsType<PurchaseResult.Succeeded>(await database.ExecuteAsync(key.Signer, buyer, intent));

        Assert.True(again.Replayed);
        Assert.Equal(first.Order.Receipt, again.Order.Receipt);
        Assert.Equal(first.Order.ReceiptSignature, again.Order.ReceiptSignature);
        Assert.Equal(995_50, await database.BalanceAsync(buyer.AvailableId));
    }

    [Fact]
    public async Task A_new_intent_outside_the_window_is_stale()
    {
        var buyer = await database.CreateSignerAsync();
        var intent = database.Spend(new Guid("9d0d0c7a-0000-4000-8000-000000000006"), 4_50);
        database.Clock.Advance(PurchaseService.AllowedClockSkew + TimeSpan.FromMilliseconds(1));

        var result = await database.ExecuteAsync(key.Signer, buyer, intent);

        Assert.Equal(new PurchaseResult.StaleTimestamp(InFuture: false), result);
        Assert.Equal(1000_00, await database.BalanceAsync(buyer.AvailableId));
    }

    [Fact]
    public async Task An_intent_exactly_at_the_edge_of_the_window_is_accepted()
    {
        var buyer = await database.CreateSignerAsync();
        var intent = database.Spend(new Guid("9d0d0c7a-0000-4000-8000-000000000006"), 4_50);
        database.Clock.Advance(PurchaseService.AllowedClockSkew);

        Assert.IsType<PurchaseResult.Succeeded>(await database.ExecuteAsync(key.Signer, buyer, intent));
    }

    [Fact]
    public async Task Ten_copies_of_one_intent_at_once_charge_once()
    {
        var buyer = await database.CreateSignerAsync();
        var intent = database.Spend(new Guid("9d0d0c7a-0000-4000-8000-000000000006"), 4_50);

        var results = await Concurrently.RunAsync(10, _ => database.ExecuteAsync(key.Signer, buyer, intent));

        var succeeded = results.Select(r => Assert.IsType<PurchaseResult.Succeeded>(r)).ToList();
        Assert.Single(succeeded, s => !s.Replayed);
        Assert.Single(succeeded.Select(s => s.Order.Receipt).Distinct());
        Assert.Equal(995_50, await database.BalanceAsync(buyer.AvailableId));
        await database.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_service_purchase_holds_the_total_until_the_configured_expiry()
    {
        var seller = await database.CreateSignerAsync(0);
        var buyer = await database.CreateSignerAsync();
        var product = await database.ListAsync(seller.Id, 60_00, ProductKind.Service);

        var order = await database.BuyAsync(key.Signer, buyer, product, 60_00);

        Assert.Equal(OrderStatus.AwaitingDelivery, order.Status);
        Assert.Equal(PurchaseService.HoldIdFor(buyer.Id, order.Nonce), order.HoldId);
        Assert.Equal((940_00, 60_00, 0L), (await database.BalanceAsync(buyer.AvailableId), await database.BalanceAsync(buyer.HeldId), await database.BalanceAsync(seller.AvailableId)));
        Assert.Equal(940_00, order.BalanceAfterUnits);
        await using var db = database.NewContext();
        var hold = await db.Holds.SingleAsync(h => h.Id == order.HoldId);
        Assert.Equal(database.Clock.UtcNow + OrderTesting.Options.HoldExpiry, hold.ExpiresAt);
        Assert.Equal(TimeSpan.FromDays(7), OrderTesting.Options.HoldExpiry);
    }
}
