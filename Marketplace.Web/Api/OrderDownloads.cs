using Marketplace.Core.Orders;
using Marketplace.Web.Auth;

namespace Marketplace.Web.Api;

/// <summary>
/// What the order page's Download and <c>GET /api/orders/{id}/download</c> share: who may have the file (the buyer and
/// admins, while the order stands, see <see cref="DigitalDeliveries"/>), and how it is sent: always an attachment under
/// its sanitised name, with the type recorded at upload, never kept by shared caches.
/// </summary>
public static partial class OrderDownloads
{
    /// <summary>The file is the buyer's alone: no proxy or shared cache keeps a copy, and a refund is not undone by one.</summary>
    public const string CacheControl = "private, no-store";

    public static async Task<DownloadResult> FindAsync(HttpContext context, DigitalDeliveries deliveries, Guid orderId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(deliveries);
        var result = await deliveries.DownloadAsync(context.User.UserId(), context.User.IsAdmin(), orderId, context.RequestAborted);
        switch (result)
        {
            case DownloadResult.Ready:
                context.Response.Headers.CacheControl = CacheControl;
                break;
            case DownloadResult.FileMissing missing:
                // The row names a file the data directory no longer holds: a restore without the files folder, most likely.
                LogFileMissing(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OrderDownloads)), orderId, missing.File.Id);
                break;
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: delivery file {FileId} is not in the data directory's files folder; restore it from the backup")]
    private static partial void LogFileMissing(ILogger logger, Guid orderId, Guid fileId);
}
