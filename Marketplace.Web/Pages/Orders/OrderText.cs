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

    /// <summary>"812 bytes", "48.2 KB", "3.5 MB" (binary units, as file managers show them).</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };

    public static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string IsoTimestamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
