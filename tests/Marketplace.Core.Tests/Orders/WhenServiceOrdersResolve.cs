using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Orders;

/// <summary>Order status and hold move together: delivered = settled, cancelled or expired = released, each once.</summary>
public sealed class WhenServiceOrdersResolve(TestDatabase database, ReceiptKeyFixture key) : IClassFixture<TestDatabase>, IClassFixture<ReceiptKeyFixture>
{
    [Fact]
    public async Task Expiry_releases_only_overdue_holds_and_marks_their_orders_expired_once()
    {
        var (seller, buyer, order) = await OpenOrderAsync();
        await using (var db = database.NewContext())
        {
            Assert.Equal(0, await database.Sellers(db).ExpireOverdueAsync());
        }

        database.Clock.Advance(OrderTesting.Options.HoldExpiry);
        int first, second;
        await using (var db = database.NewContext())
        {
            first = await database.Sellers(db).ExpireOverdueAsync();
            second = await database.Sellers(db).ExpireOverdueAsync();
        }

        Assert.True(first >= 1);
        Assert.Equal(0, second);
        Assert.Equal(OrderStatus.Expired, (await database.StoredOrderAsync(order.Id)).Status);
        Assert.Equal((1000_00, 0L, 0L), (await database.BalanceAsync(buyer.AvailableId), await database.BalanceAsync(buyer.HeldId), await database.BalanceAsync(seller.AvailableId)));
        await AssertOrdersAgreeWithHoldsAsync();
    }

    [Fact]
    public async Task A_hold_released_by_another_sweep_turns_a_later_cancel_into_expired_without_paying_twice()
    {
        var (seller, buyer, order) = await OpenOrderAsync();
        database.Clock.Advance(OrderTesting.Options.HoldExpiry);
        await using (var db = database.NewContext())
        {
            await new HoldService(db, database.Ledger(db), database.Clock).ReleaseExpiredAsync();
        }

        OrderTransitionResult result;
        await using (var db = database.NewContext())
        {
            result = await database.Sellers(db).CancelAsync(seller.Id, order.Id);
        }

        Assert.Equal(OrderStatus.Expired, Assert.IsType<OrderTransitionResult.Conflict>(result).Order.Status);
        Assert.Equal((1000_00, 0L), (await database.BalanceAsync(buyer.AvailableId), await database.BalanceAsync(buyer.HeldId)));
        await AssertOrdersAgreeWithHoldsAsync();
        await database.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Deliveries_cancellations_and_the_expiry_sweep_racing_leave_one_outcome()
    {
        var (seller, buyer, order) = await OpenOrderAsync();
        database.Clock.Advance(OrderTesting.Options.HoldExpiry - TimeSpan.FromSeconds(1));

        var results = await Concurrently.RunAsync(9, async i =>
        {
            await using var db = database.NewContext();
            var sellers = database.Sellers(db);
            switch (i % 3)
            {
                case 0:
                    return await sellers.DeliverAsync(seller.Id, order.Id);
                case 1:
                    return await sellers.CancelAsync(seller.Id, order.Id);
                default:
                    await sellers.ExpireOverdueAsync();
                    return (OrderTransitionResult?)null;
            }
        });

        var status = (await database.StoredOrderAsync(order.Id)).Status;
        Assert.Contains(status, new[] { OrderStatus.Delivered, OrderStatus.Cancelled });
        Assert.Equal(3, results.OfType<OrderTransitionResult.Done>().Count());
        Assert.Equal(3, results.OfType<OrderTransitionResult.Conflict>().Count());
        var (buyerUnits, sellerUnits) = status == OrderStatus.Delivered ? (940_00L, 54_00L) : (1000_00L, 0L);
        Assert.Equal((buyerUnits, 0L, sellerUnits), (await database.BalanceAsync(buyer.AvailableId), await database.BalanceAsync(buyer.HeldId), await database.BalanceAsync(seller.AvailableId)));
        await AssertOrdersAgreeWithHoldsAsync();
        await database.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_partial_delivery_keeps_the_commission_in_proportion()
    {
        var (seller, buyer, order) = await OpenOrderAsync();

        await using (var db = database.NewContext())
        {
            Assert.IsType<OrderTransitionResult.Done>(await database.Sellers(db).DeliverAsync(seller.Id, order.Id, new Credits(20_00)));
        }

        Assert.Equal(18_00, await database.BalanceAsync(seller.AvailableId));
        Assert.Equal(980_00, await database.BalanceAsync(buyer.AvailableId));
        await using var read = database.NewContext();
        Assert.Equal(20_00, (await read.Holds.SingleAsync(h => h.Id == order.HoldId)).SettledUnits);
    }

    private async Task<(Signer Seller, Signer Buyer, Order Order)> OpenOrderAsync()
    {
        var seller = await database.CreateSignerAsync(0);
        var buyer = await database.CreateSignerAsync();
        var product = await database.ListAsync(seller.Id, 60_00, ProductKind.Service);
        return (seller, buyer, await database.BuyAsync(key.Signer, buyer, product, 60_00));
    }

    private async Task AssertOrdersAgreeWithHoldsAsync()
    {
        await using var db = database.NewContext();
        var pairs = await db.Orders.Where(o => o.HoldId != null)
            .Join(db.Holds, o => o.HoldId, h => (Guid?)h.Id, (o, h) => new { o.Status, Hold = h.Status })
            .ToListAsync();
        Assert.All(pairs, p => Assert.Equal(
            p.Status switch
            {
                OrderStatus.AwaitingDelivery => HoldStatus.Open,
                OrderStatus.Delivered => HoldStatus.Settled,
                _ => HoldStatus.Released,
            },
            p.Hold));
    }
}
