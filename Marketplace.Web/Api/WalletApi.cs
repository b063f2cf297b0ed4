using System.Globalization;
using System.Threading.RateLimiting;
using Marketplace.Core;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Settings;
using Marketplace.Core.Text;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Api;

public static class WalletApi
{
    public sealed record BalanceResponse(string Available, string Held, string Currency);

    public sealed record HistoryItem(long Id, long TransactionId, string Kind, string Description, string Amount, string BalanceAfter, DateTime CreatedAt);

    public sealed record HistoryResponse(IReadOnlyList<HistoryItem> Items, string? NextCursor);

    /// <summary><paramref name="Intent"/> is the intent JSON exactly as signed, sent as a string.</summary>
    public sealed record TransactRequest(string? Intent, string? PublicKey, string? Signature);

    /// <summary><paramref name="Receipt"/> is the receipt JSON exactly as signed; verify the signature over its UTF-8 bytes.</summary>
    public sealed record TransactResponse(string Receipt, string ReceiptSignature, string NewBalance, Guid OrderId);

    public static RouteGroupBuilder MapWalletApi(this RouteGroupBuilder api)
    {
        var wallet = api.MapGroup("/wallet").WithTags("Wallet").RequireAuthorization().ProducesProblems(StatusCodes.Status401Unauthorized);
        wallet.MapGet("/balance", Balance)
            .WithSummary("The signed-in user's available and held credits (decimal strings); with an ETag, and 304 for a matching If-None-Match")
            .Produces(StatusCodes.Status304NotModified);
        wallet.MapGet("/transactions", Transactions)
            .WithSummary("The user's wallet history, newest first; pass next_cursor as before for the next page")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        wallet.MapGet("/recipient", Recipient).RequireRateLimiting(RecipientRateLimit)
            .WithSummary("A transfer's review step: the display name of the verified account with this email (404 for any other address)")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status429TooManyRequests);
        wallet.MapPost("/transact", Transact)
            .WithSummary("Execute a signed spend or transfer intent; replaying the same signed intent returns the same receipt")
            .AcceptsJson<TransactRequest>()
            .ProducesProblems(StatusCodes.Status402PaymentRequired, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    /// <summary>The per-user limit on recipient lookups (<c>RateLimits:RecipientLookupsPerMinute</c>).</summary>
    public const string RecipientRateLimit = "wallet-recipient";

    public sealed record RecipientResponse(string DisplayName);

    public static async Task<Results<Ok<RecipientResponse>, ProblemHttpResult>> Recipient(HttpContext context, TransferRecipients recipients, string? email)
    {
        var result = await recipients.LookUpAsync(context.User.UserId(), email, context.RequestAborted);
        return result is RecipientLookup.Found found
            ? TypedResults.Ok(new RecipientResponse(found.DisplayName))
            : result.ToFailure().ToProblem();
    }

    /// <summary>Per signed-in user: a fixed window of <see cref="RateLimitOptions.RecipientLookupsPerMinute"/>; anonymous requests are refused by authorization.</summary>
    public static IServiceCollection AddRecipientRateLimit(this IServiceCollection services)
    {
        services.AddSettings<RateLimitOptions>();
        services.AddOptions<RateLimiterOptions>()
            .Configure<RateLimitOptions>((o, limits) => o.AddPolicy(RecipientRateLimit, context => context.User.Identity?.IsAuthenticated == true
                ? RateLimitPartition.GetFixedWindowLimiter(context.User.UserId(), _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.RecipientLookupsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(Guid.Empty)));
        return services;
    }

    /// <summary>Polled by clients: 304 while the balance is the one named by their If-None-Match (<see cref="ConditionalGet"/>).</summary>
    public static async Task<Results<Ok<BalanceResponse>, StatusCodeHttpResult>> Balance(HttpContext context, WalletQueries wallet)
    {
        var userId = context.User.UserId();
        var balance = await wallet.BalanceAsync(userId, context.RequestAborted);
        var etag = ConditionalGet.ETagOf("balance", userId.ToString("N"), balance.Available.Units.ToString(CultureInfo.InvariantCulture), balance.Held.Units.ToString(CultureInfo.InvariantCulture));
        if (ConditionalGet.IsCurrent(context, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(new BalanceResponse(balance.Available.ToDecimalString(), balance.Held.ToDecimalString(), Credits.Code));
    }

    public static async Task<Results<Ok<HistoryResponse>, ProblemHttpResult>> Transactions(HttpContext context, WalletQueries wallet, string? limit, string? before)
    {
        var size = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > WalletQueries.MaxPageSize))
        {
            return ApiProblems.BadRequest("invalid_limit", $"limit must be a whole number from 1 to {WalletQueries.MaxPageSize}.", "limit");
        }

        long? cursor = null;
        if (before is not null)
        {
            if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
            {
                return ApiProblems.BadRequest("invalid_cursor", "before must be a next_cursor value from an earlier page.", "before");
            }

            cursor = parsed;
        }

        var page = await wallet.HistoryAsync(context.User.UserId(), size, cursor, context.RequestAborted);
        var items = page.Items
            .Select(i => new HistoryItem(i.EntryId, i.TransactionId, WireName.Of(i.Kind), i.Description, i.Amount.ToDecimalString(), i.BalanceAfter.ToDecimalString(), i.CreatedAt))
            .ToList();
        return TypedResults.Ok(new HistoryResponse(items, page.NextCursor?.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>A signed spend or transfer: 201 with the receipt when it ran now, 200 with the same stored receipt when the identical intent ran before.</summary>
    public static async Task<Results<Created<TransactResponse>, Ok<TransactResponse>, ProblemHttpResult>> Transact(HttpRequest request, PurchaseService purchases, MarketplaceOptions options, IOptions<JsonOptions> json)
    {
        var (body, problem) = await ApiBody.ReadAsync<TransactRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (AuthApi.Missing(("intent", body!.Intent), ("public_key", body.PublicKey), ("signature", body.Signature)) is { } missing)
        {
            return missing;
        }

        var audience = request.SiteOrigin(options).GetLeftPart(UriPartial.Authority);
        var result = await purchases.ExecuteAsync(request.HttpContext.User.UserId(), body.Intent, body.PublicKey, body.Signature, audience, request.HttpContext.RequestAborted);
        if (result is not PurchaseResult.Succeeded { Order: var order, Replayed: var replayed })
        {
            return result.ToFailure().ToProblem();
        }

        var response = new TransactResponse(order.Receipt, order.ReceiptSignature, order.BalanceAfter.ToDecimalString(), order.Id);
        return replayed ? TypedResults.Ok(response) : TypedResults.Created($"/api/orders/{order.Id}", response);
    }
}
