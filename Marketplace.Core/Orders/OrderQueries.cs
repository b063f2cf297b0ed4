using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

/// <summary>An order as buyers and sellers see it, with names resolved and, for service orders, the state of the hold.</summary>
public sealed record OrderView(
    Guid Id,
    OrderKind Kind,
    OrderStatus Status,
    Guid BuyerId,
    string BuyerName,
    Guid? SellerId,
    string? SellerName,
    Guid? ProductId,
    string? ProductName,
    Guid? RecipientId,
    string? RecipientName,
    int Quantity,
    Credits UnitPrice,
    Credits Total,
    Credits Commission,
    Credits SellerProceeds,
    DateTime CreatedAt,
    DateTime? ResolvedAt,
    DateTime? HoldExpiresAt,
    Credits? Settled,
    string Receipt,
    string ReceiptSignature)
{
    /// <summary>What a digital order delivers (the product's file and licence as they are now); null for services and transfers.</summary>
    public OrderDelivery? Delivery { get; init; }
}

/// <summary>
/// What a digital order delivers: the product's licence text and file. <see cref="Downloadable"/> only while the order
/// stands: a refunded order keeps showing what it was for, but its download stops working.
/// </summary>
public sealed record OrderDelivery(string? Licence, Catalog.DeliveryFile? File, bool Revoked)
{
    public bool Downloadable => File is not null && !Revoked;
}

/// <summary>Reads of orders for the buyer's and the seller's pages; other users' orders are simply not found.</summary>
public sealed class OrderQueries(MarketplaceDb db)
{
    public const int MaxPageSize = 100;

    /// <summary>
    /// The buyer's (or sender's) orders behind these ledger transactions, by transaction id: the wallet history links each
    /// row to its order and says what became of a hold (issue 14, defect 9).
    /// </summary>
    public async Task<IReadOnlyDictionary<long, (Guid OrderId, OrderStatus Status)>> ByTransactionAsync(Guid buyerId, IReadOnlyCollection<long> transactionIds, CancellationToken cancellationToken = default)
    {
        var rows = await db.Orders.AsNoTracking()
            .Where(o => o.BuyerId == buyerId && transactionIds.Contains(o.LedgerTransactionId))
            .Select(o => new { o.LedgerTransactionId, o.Id, o.Status })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.LedgerTransactionId, r => (r.Id, r.Status));
    }

    /// <summary>The buyer's purchases (not transfers), newest first.</summary>
    public Task<IReadOnlyList<OrderView>> ForBuyerAsync(Guid buyerId, int limit = 50, CancellationToken cancellationToken = default) =>
        ListAsync(db.Orders.Where(o => o.BuyerId == buyerId && o.Kind != OrderKind.Transfer).OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id), limit, cancellationToken);

    /// <summary>One of the buyer's orders or transfers; null for anyone else's.</summary>
    public async Task<OrderView?> FindForBuyerAsync(Guid buyerId, Guid orderId, CancellationToken cancellationToken = default) =>
        (await ListAsync(db.Orders.Where(o => o.Id == orderId && o.BuyerId == buyerId), 1, cancellationToken)).SingleOrDefault();

    /// <summary>Everything sold by this seller, newest first.</summary>
    public Task<IReadOnlyList<OrderView>> SalesAsync(Guid sellerId, int limit = 50, CancellationToken cancellationToken = default) =>
        ListAsync(db.Orders.Where(o => o.SellerId == sellerId).OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id), limit, cancellationToken);

    /// <summary>Service orders waiting for this seller to deliver or cancel, oldest (closest to expiry) first.</summary>
    public Task<IReadOnlyList<OrderView>> OpenServiceOrdersAsync(Guid sellerId, int limit = MaxPageSize, CancellationToken cancellationToken = default) =>
        ListAsync(db.Orders.Where(o => o.SellerId == sellerId && o.Status == OrderStatus.AwaitingDelivery).OrderBy(o => o.CreatedAt).ThenBy(o => o.Id), limit, cancellationToken);

    public async Task<OrderView?> FindForSellerAsync(Guid sellerId, Guid orderId, CancellationToken cancellationToken = default) =>
        (await ListAsync(db.Orders.Where(o => o.Id == orderId && o.SellerId == sellerId), 1, cancellationToken)).SingleOrDefault();

    /// <summary>Transfers the user sent or received, newest first.</summary>
    public Task<IReadOnlyList<OrderView>> TransfersAsync(Guid userId, int limit = 50, CancellationToken cancellationToken = default) =>
        ListAsync(db.Orders.Where(o => o.Kind == OrderKind.Transfer && (o.BuyerId == userId || o.RecipientId == userId)).OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id), limit, cancellationToken);

    private async Task<IReadOnlyList<OrderView>> ListAsync(IQueryable<Order> query, int limit, CancellationToken cancellationToken)
    {
        var orders = await query.AsNoTracking().Take(Math.Clamp(limit, 1, MaxPageSize)).ToListAsync(cancellationToken);
        if (orders.Count == 0)
        {
            return [];
        }

        var userIds = orders.Select(o => o.BuyerId)
            .Concat(orders.Where(o => o.SellerId is not null).Select(o => o.SellerId!.Value))
            .Concat(orders.Where(o => o.RecipientId is not null).Select(o => o.RecipientId!.Value))
            .Distinct()
            .ToList();
        var productIds = orders.Where(o => o.ProductId is not null).Select(o => o.ProductId!.Value).Distinct().ToList();
        var holdIds = orders.Where(o => o.HoldId is not null).Select(o => o.HoldId!.Value).ToList();

        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var holdsById = await db.Holds.AsNoTracking().Where(h => holdIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, cancellationToken);

        return orders.Select(o =>
        {
            var hold = o.HoldId is { } holdId ? holdsById.GetValueOrDefault(holdId) : null;
            return new OrderView(
                o.Id,
                o.Kind,
                o.Status,
                o.BuyerId,
                names.GetValueOrDefault(o.BuyerId, string.Empty),
                o.SellerId,
                o.SellerId is { } seller ? names.GetValueOrDefault(seller) : null,
                o.ProductId,
                o.ProductId is { } productId ? products.GetValueOrDefault(productId)?.Name : null,
                o.RecipientId,
                o.RecipientId is { } recipient ? names.GetValueOrDefault(recipient) : null,
                o.Quantity,
                o.UnitPrice,
                o.Total,
                o.Commission,
                o.SellerProceeds,
                o.CreatedAt,
                o.ResolvedAt,
                hold?.ExpiresAt,
                hold is { Status: HoldStatus.Settled } ? new Credits(hold.SettledUnits) : null,
                o.Receipt,
                o.ReceiptSignature)
            {
                Delivery = o.Kind == OrderKind.Digital && o.ProductId is { } id && products.GetValueOrDefault(id) is { } product
                    ? new OrderDelivery(product.LicenceText, product.File, Revoked: o.Status != OrderStatus.Completed)
                    : null,
            };
        }).ToList();
    }
}
