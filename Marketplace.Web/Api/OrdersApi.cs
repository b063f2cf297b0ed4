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
        string ReceiptSignature);

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
            o.ReceiptSignature);
    }
}
