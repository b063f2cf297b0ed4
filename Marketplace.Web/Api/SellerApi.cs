using Marketplace.Core;
using Marketplace.Core.Orders;
using Marketplace.Core.Text;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Api;

/// <summary>/api/seller: a seller's sales, delivering or cancelling service orders, and their products (<see cref="SellerProductsApi"/>). Someone else's order is 404.</summary>
public static class SellerApi
{
    /// <summary>Optional body of deliver: a partial <paramref name="Amount"/>; without it the whole order is delivered.</summary>
    public sealed record DeliverRequest(string? Amount);

    public static RouteGroupBuilder MapSellerApi(this RouteGroupBuilder api)
    {
        var seller = api.MapGroup("/seller").WithTags("Seller").RequireAuthorization().ProducesProblems(StatusCodes.Status401Unauthorized);
        seller.MapGet("/orders", Sales)
            .WithSummary("Everything the user sold, newest first; status=awaiting_delivery lists service orders still to deliver")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        seller.MapPost("/orders/{id}/deliver", Deliver)
            .WithSummary("Deliver a service order: settles its hold (optionally only amount, the rest returns to the buyer)")
            .AcceptsJson<DeliverRequest>(isOptional: true)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        seller.MapPost("/orders/{id}/cancel", Cancel)
            .WithSummary("Cancel a service order: releases its hold back to the buyer")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        seller.MapSellerProductsApi();
        return api;
    }

    /// <summary>Everything this user sold, newest first; <c>?status=awaiting_delivery</c> lists the service orders still to deliver.</summary>
    public static async Task<Results<Ok<OrdersApi.OrderListResponse>, ProblemHttpResult>> Sales(HttpContext context, OrderQueries orders, string? status)
    {
        var sellerId = context.User.UserId();
        IReadOnlyList<OrderView> items;
        if (string.IsNullOrEmpty(status))
        {
            items = await orders.SalesAsync(sellerId, OrderQueries.MaxPageSize, context.RequestAborted);
        }
        else if (status == WireName.Of(OrderStatus.AwaitingDelivery))
        {
            items = await orders.OpenServiceOrdersAsync(sellerId, OrderQueries.MaxPageSize, context.RequestAborted);
        }
        else
        {
            return ApiProblems.BadRequest("invalid_status", "status can only be \"awaiting_delivery\".", "status");
        }

        return TypedResults.Ok(new OrdersApi.OrderListResponse(items.Select(OrdersApi.ToResponse).ToList()));
    }

    public static async Task<Results<Ok<OrdersApi.OrderResponse>, ProblemHttpResult>> Deliver(HttpRequest request, SellerService sellers, OrderQueries orders, IOptions<JsonOptions> json, string id)
    {
        Credits? amount = null;
        if (request.HasJsonContentType() || request.ContentLength > 0)
        {
            var (body, problem) = await ApiBody.ReadAsync<DeliverRequest>(request, json.Value.SerializerOptions);
            if (problem is not null)
            {
                return problem;
            }

            if (body!.Amount is not null)
            {
                if (Credits.TryParse(body.Amount, out var parsed) != AmountParse.Ok || parsed.Units <= 0)
                {
                    return ApiProblems.BadRequest("invalid_amount", "amount must be a positive decimal string such as \"30.00\".", "amount");
                }

                amount = parsed;
            }
        }

        if (!Guid.TryParse(id, out var orderId))
        {
            return FailureTable.OrderNotFound.ToProblem();
        }

        var sellerId = request.HttpContext.User.UserId();
        var result = await sellers.DeliverAsync(sellerId, orderId, amount, request.HttpContext.RequestAborted);
        return await RespondAsync(result, orders, sellerId, request.HttpContext.RequestAborted);
    }

    public static async Task<Results<Ok<OrdersApi.OrderResponse>, ProblemHttpResult>> Cancel(HttpContext context, SellerService sellers, OrderQueries orders, string id)
    {
        if (!Guid.TryParse(id, out var orderId))
        {
            return FailureTable.OrderNotFound.ToProblem();
        }

        var sellerId = context.User.UserId();
        var result = await sellers.CancelAsync(sellerId, orderId, context.RequestAborted);
        return await RespondAsync(result, orders, sellerId, context.RequestAborted);
    }

    private static async Task<Results<Ok<OrdersApi.OrderResponse>, ProblemHttpResult>> RespondAsync(OrderTransitionResult result, OrderQueries orders, Guid sellerId, CancellationToken cancellationToken)
    {
        if (result is not OrderTransitionResult.Done { Order: var order })
        {
            return result.ToFailure().ToProblem();
        }

        var view = await orders.FindForSellerAsync(sellerId, order.Id, cancellationToken);
        return TypedResults.Ok(OrdersApi.ToResponse(view!));
    }
}
