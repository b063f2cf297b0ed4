using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

public abstract record OrderTransitionResult
{
    private OrderTransitionResult()
    {
    }

    /// <summary>The order is in the requested state; <paramref name="Replayed"/> when it already was (nothing moved this time).</summary>
    public sealed record Done(Order Order, bool Replayed) : OrderTransitionResult;

    /// <summary>No such order, or not this seller's.</summary>
    public sealed record NotFound : OrderTransitionResult;

    /// <summary>The order is in a state this transition cannot leave from (delivered vs cancelled, expired, a digital order).</summary>
    public sealed record Conflict(Order Order) : OrderTransitionResult;

    public sealed record Invalid(string Code, string Message) : OrderTransitionResult;
}

/// <summary>
/// What a seller does with a service order: deliver (the hold is settled: seller paid, platform paid its
/// commission, any undelivered rest returned to the buyer) or cancel (the hold is released to the buyer).
/// The order's state and its hold change in one transaction, and each transition happens once.
/// </summary>
public sealed class SellerService(MarketplaceDb db, LedgerService ledger, HoldService holds, TimeProvider clock)
{
    /// <param name="amount">For a partial delivery, what the seller is paid for (commission included); null means the whole order.</param>
    public async Task<OrderTransitionResult> DeliverAsync(Guid sellerId, Guid orderId, Credits? amount = null, CancellationToken cancellationToken = default)
    {
        if (amount is { Units: <= 0 })
        {
            return new OrderTransitionResult.Invalid("invalid_amount", "A delivered amount must be more than zero.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await DatabaseProvider.LockRowAsync<Order>(db, orderId, cancellationToken);
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId && o.SellerId == sellerId, cancellationToken);
        if (order is null)
        {
            return new OrderTransitionResult.NotFound();
        }

        if (order.Status != OrderStatus.AwaitingDelivery)
        {
            return Settled(order, OrderStatus.Delivered);
        }

        var delivered = amount?.Units ?? order.TotalUnits;
        if (delivered > order.TotalUnits)
        {
            return new OrderTransitionResult.Invalid("amount_exceeds_order", $"The order is for {order.Total.ToDisplayString()}; a delivery cannot be paid more.");
        }

        // The expiry sweep releases holds without the order: the hold's lock makes its state final for this decision.
        await DatabaseProvider.LockRowAsync<Hold>(db, order.HoldId!.Value, cancellationToken);
        var hold = await db.Holds.AsNoTracking().SingleAsync(h => h.Id == order.HoldId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (hold.Status == HoldStatus.Released || hold.ExpiresAt <= now)
        {
            // Too late: the buyer's credits are (or are now) back with the buyer.
            await ReleaseAsync(hold, cancellationToken);
            order.MarkExpired(now);
            return await SaveAsync(transaction, order, OrderStatus.Delivered, cancellationToken);
        }

        // The commission stays in proportion to what was delivered; a full delivery pays exactly the amount fixed at purchase.
        var commission = delivered == order.TotalUnits ? order.CommissionUnits : delivered * order.CommissionUnits / order.TotalUnits;
        var seller = await ledger.UserAccountsAsync(sellerId, cancellationToken);
        var revenue = await ledger.AccountIdAsync(AccountCodes.Revenue, cancellationToken);
        var payouts = new List<PostingLine>();
        if (delivered - commission > 0)
        {
            payouts.Add(new PostingLine(seller.AvailableId, delivered - commission));
        }

        if (commission > 0)
        {
            payouts.Add(new PostingLine(revenue, commission));
        }

        var settled = await holds.SettleAsync(hold.Id, payouts, cancellationToken);
        if (settled is not HoldResult.Done)
        {
            throw new InvalidOperationException($"The hold of open order {order.Id} could not be settled: {settled}.");
        }

        order.MarkDelivered(now);
        return await SaveAsync(transaction, order, OrderStatus.Delivered, cancellationToken);
    }

    public async Task<OrderTransitionResult> CancelAsync(Guid sellerId, Guid orderId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await DatabaseProvider.LockRowAsync<Order>(db, orderId, cancellationToken);
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId && o.SellerId == sellerId, cancellationToken);
        if (order is null)
        {
            return new OrderTransitionResult.NotFound();
        }

        if (order.Status != OrderStatus.AwaitingDelivery)
        {
            return Settled(order, OrderStatus.Cancelled);
        }

        // The expiry sweep releases holds without the order: the hold's lock makes its state final for this decision.
        await DatabaseProvider.LockRowAsync<Hold>(db, order.HoldId!.Value, cancellationToken);
        var hold = await db.Holds.AsNoTracking().SingleAsync(h => h.Id == order.HoldId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (hold.Status == HoldStatus.Released)
        {
            // The expiry sweep released it a moment ago and has not marked the order yet.
            order.MarkExpired(now);
        }
        else
        {
            await ReleaseAsync(hold, cancellationToken);
            order.MarkCancelled(now);
        }

        return await SaveAsync(transaction, order, OrderStatus.Cancelled, cancellationToken);
    }

    /// <summary>
    /// Releases every hold past its expiry and marks the service orders they belonged to as expired;
    /// returns how many orders expired. Deliver and cancel also recognise a hold released here before the
    /// order was marked, so order and hold never disagree for long and never both pay.
    /// </summary>
    public async Task<int> ExpireOverdueAsync(CancellationToken cancellationToken = default)
    {
        await holds.ReleaseExpiredAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Orders
            .Where(o => o.Status == OrderStatus.AwaitingDelivery && db.Holds.Any(h => h.Id == o.HoldId && h.Status == HoldStatus.Released))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Expired).SetProperty(o => o.ResolvedAt, now).SetProperty(o => o.UpdatedAt, now), cancellationToken);
    }

    private async Task ReleaseAsync(Hold hold, CancellationToken cancellationToken)
    {
        if (hold.Status == HoldStatus.Open && await holds.ReleaseAsync(hold.Id, cancellationToken) is not HoldResult.Done)
        {
            throw new InvalidOperationException($"Hold {hold.Id} of an open order could not be released.");
        }
    }

    private static OrderTransitionResult Settled(Order order, OrderStatus target) =>
        order.Status == target ? new OrderTransitionResult.Done(order, Replayed: true) : new OrderTransitionResult.Conflict(order);

    private async Task<OrderTransitionResult> SaveAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, Order order, OrderStatus target, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another transition got there first (possible where writers do not serialise, as on PostgreSQL).
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return Settled(await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id, cancellationToken), target);
        }

        await transaction.CommitAsync(cancellationToken);
        return order.Status == target ? new OrderTransitionResult.Done(order, Replayed: false) : new OrderTransitionResult.Conflict(order);
    }
}
