using Marketplace.Core.Catalog;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

/// <summary>
/// What a spend intent buys and what it costs: the product exists, is for sale and is not the buyer's own; the signed
/// amount is the server's price × quantity; the total is within the one money limit. The result says which order it
/// becomes (digital, or service on hold) and the commission it carries.
/// </summary>
internal sealed class SpendPricing(MarketplaceDb db, MarketplaceOptions options)
{
    public async Task<(PurchaseFacts? Facts, PurchaseResult? Refused)> PriceAsync(Guid buyerId, SpendIntent spend, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == spend.ProductId, cancellationToken);
        if (product is null)
        {
            return Refuse(new PurchaseResult.ProductNotFound());
        }

        if (!product.IsAvailable)
        {
            return Refuse(new PurchaseResult.ProductUnavailable());
        }

        if (product.SellerId == buyerId)
        {
            return Refuse(new PurchaseResult.OwnProduct());
        }

        var total = new Credits(checked(product.PriceUnits * spend.Quantity));
        if (spend.AmountUnits != total.Units)
        {
            return Refuse(new PurchaseResult.PriceMismatch(total));
        }

        if (options.Exceeds(total))
        {
            return Refuse(new PurchaseResult.AmountTooLarge(options.MaxAmount));
        }

        return (new PurchaseFacts(
            Order.NewId(),
            product.Kind == ProductKind.Service ? OrderKind.Service : OrderKind.Digital,
            buyerId,
            product.SellerId,
            product.Id,
            product.Name,
            spend.Quantity,
            product.PriceUnits,
            options.Commission(total).Units), null);
    }

    private static (PurchaseFacts?, PurchaseResult?) Refuse(PurchaseResult result) => (null, result);
}
