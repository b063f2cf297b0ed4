using System.Globalization;
using Marketplace.Core.Orders;

namespace Marketplace.Web.Pages.Orders;

/// <summary>How orders read on the buyer's and the seller's pages.</summary>
public static class OrderText
{
    /// <summary>"Logo design", "Icon pack × 3", or "Transfer to Ann".</summary>
    public static string Title(OrderView order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Kind == OrderKind.Transfer)
        {
            return $"Transfer to {order.RecipientName}";
        }

        var name = order.ProductName ?? "Product";
        return order.Quantity == 1 ? name : string.Create(CultureInfo.InvariantCulture, $"{name} × {order.Quantity}");
    }

    public static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string IsoTimestamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
