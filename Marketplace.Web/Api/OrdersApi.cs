using Marketplace.Core;
using Marketplace.Core.Identity;
using Marketplace.Core.Orders;
using Marketplace.Core.Text;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>The signed-in buyer's orders, and the server's receipt key for anyone who wants to check a receipt.</summary>
public static class OrdersApi
{
    public sealed record OrderResponse(
        Guid OrderId,
        string Kind,
        string Status,
        Guid? ProductId,
        string? ProductName,
        Guid? SellerId,
        string? SellerName,
        Guid BuyerId,
        string BuyerName,
        Guid? RecipientId,
        string? RecipientName,
        int Quantity,
        string UnitPrice,
        string Total,
        string Commission,
        string SellerProceeds,
        string? Settled,
        string Currency,
        DateTime CreatedAt,
        DateTime? ResolvedAt,
        DateTime? HoldExpiresAt,
        string Receipt,
        string ReceiptSignature,
        OrderDeliveryResponse? Delivery = null);

    /// <summary>What a digital order delivers: the licence text, and the file with its download link while the order stands.</summary>
    public sealed record OrderDeliveryResponse(string? Licence, string? FileName, string? ContentType, long? SizeBytes, string? DownloadUrl);

    public sealed record OrderListResponse(IReadOnlyList<OrderResponse> Items);

    public sealed record PublicKeyResponse(string PublicKey);

    public static RouteGroupBuilder MapOrdersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/receipts/public-key", PublicKey).WithTags("Orders").AllowAnonymous()
            .WithSummary("The server's Ed25519 receipt-signing public key (base64url)");
        var orders = api.MapGroup("/orders").WithTags("Orders").RequireAuthorization().ProducesProblems(StatusCodes.Status401Unauthorized);
        orders.MapGet("/", List)
            .WithSummary("The signed-in buyer's orders, newest first, each with its signed receipt");
        orders.MapGet("/{id}", Get)
            .WithSummary("One of the buyer's orders")
            .ProducesProblems(StatusCodes.Status404NotFound);
        orders.MapGet("/{id}/download", Download)
            .WithSummary("The file a completed digital order delivers, as an attachment; for its buyer and admins only (anyone else: 404). A refunded order's download has ended (410)")
            .ProducesFile()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status410Gone, StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static Ok<PublicKeyResponse> PublicKey(ReceiptSigner signer) => TypedResults.Ok(new PublicKeyResponse(signer.PublicKeyText));

    /// <summary>Purchases, newest first (transfers show in the wallet history instead).</summary>
    public static async Task<Ok<OrderListResponse>> List(HttpContext context, OrderQueries orders)
    {
        var items = await orders.ForBuyerAsync(context.User.UserId(), OrderQueries.MaxPageSize, context.RequestAborted);
        return TypedResults.Ok(new OrderListResponse(items.Select(ToResponse).ToList()));
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Get(HttpContext context, OrderQueries orders, string id)
    {
        var order = Guid.TryParse(id, out var orderId) ? await orders.FindForBuyerAsync(context.User.UserId(), orderId, context.RequestAborted) : null;
        return order is null ? FailureTable.OrderNotFound.ToProblem() : TypedResults.Ok(ToResponse(order));
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> Download(HttpContext context, DigitalDeliveries deliveries, string id)
    {
        if (!Guid.TryParse(id, out var orderId))
        {
            return FailureTable.OrderNotFound.ToProblem();
        }

        var result = await OrderDownloads.FindAsync(context, deliveries, orderId);
        return result is DownloadResult.Ready ready
            ? TypedResults.PhysicalFile(ready.Path, ready.File.ContentType, ready.File.Name)
            : result.ToFailure().ToProblem();
    }

    public static OrderResponse ToResponse(OrderView o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new(
            o.Id,
            WireName.Of(o.Kind),
            WireName.Of(o.Status),
            o.ProductId,
            o.ProductName,
            o.SellerId,
            o.SellerName,
            o.BuyerId,
            o.BuyerName,
            o.RecipientId,
            o.RecipientName,
            o.Quantity,
            o.UnitPrice.ToDecimalString(),
            o.Total.ToDecimalString(),
            o.Commission.ToDecimalString(),
            o.SellerProceeds.ToDecimalString(),
            o.Settled?.ToDecimalString(),
            Credits.Code,
            o.CreatedAt,
            o.ResolvedAt,
            o.HoldExpiresAt,
            o.Receipt,
            o.ReceiptSignature,
            o.Delivery is { } delivery
                ? new OrderDeliveryResponse(delivery.Licence, delivery.File?.Name, delivery.File?.ContentType, delivery.File?.SizeBytes, delivery.Downloadable ? $"/api/orders/{o.Id}/download" : null)
                : null);
    }
}
