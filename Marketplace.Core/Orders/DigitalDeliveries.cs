using Marketplace.Core.Catalog;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

public abstract record DownloadResult
{
    private DownloadResult()
    {
    }

    /// <summary>The file to send, at <paramref name="Path"/> (a path the server made, never one a user chose).</summary>
    public sealed record Ready(DeliveryFile File, string Path) : DownloadResult;

    /// <summary>No such order, not the asker's (and they are no admin), or not a digital purchase: all look the same.</summary>
    public sealed record NotFound : DownloadResult;

    /// <summary>The order was refunded, so what it delivered is no longer the buyer's.</summary>
    public sealed record Refunded : DownloadResult;

    /// <summary>The product delivers a licence text only.</summary>
    public sealed record NoFile : DownloadResult;

    /// <summary>The product names a file that is not on disk (lost from the data directory): an operator's problem, not the buyer's.</summary>
    public sealed record FileMissing(DeliveryFile File) : DownloadResult;
}

/// <summary>
/// Who may download what a digital order delivers: its buyer and admins, while the order stands. Withdrawing the
/// product does not matter (past orders keep their download); a refund does. The file is the product's current one.
/// </summary>
public sealed class DigitalDeliveries(MarketplaceDb db, DeliveryFileStore files)
{
    public async Task<DownloadResult> DownloadAsync(Guid userId, bool isAdmin, Guid orderId, CancellationToken cancellationToken = default)
    {
        var order = await db.Orders.AsNoTracking()
            .Where(o => o.Id == orderId && (isAdmin || o.BuyerId == userId))
            .Select(o => new { o.Kind, o.Status, o.ProductId })
            .SingleOrDefaultAsync(cancellationToken);
        if (order is not { Kind: OrderKind.Digital, ProductId: { } productId })
        {
            return new DownloadResult.NotFound();
        }

        if (order.Status != OrderStatus.Completed)
        {
            return new DownloadResult.Refunded();
        }

        var product = await db.Products.AsNoTracking().SingleAsync(p => p.Id == productId, cancellationToken);
        if (product.File is not { } file)
        {
            return new DownloadResult.NoFile();
        }

        var path = files.PathOf(file.Id);
        return File.Exists(path) ? new DownloadResult.Ready(file, path) : new DownloadResult.FileMissing(file);
    }
}
