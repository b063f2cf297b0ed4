using System.Globalization;
using Marketplace.Core;
using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

public static class WalletApi
{
    public sealed record BalanceResponse(string Available, string Held, string Currency);

    public sealed record HistoryItem(long Id, long TransactionId, string Kind, string Description, string Amount, string BalanceAfter, DateTime CreatedAt);

    public sealed record HistoryResponse(IReadOnlyList<HistoryItem> Items, string? NextCursor);

    public static RouteGroupBuilder MapWalletApi(this RouteGroupBuilder api)
    {
        var wallet = api.MapGroup("/wallet").WithTags("Wallet").RequireAuthorization().ProducesProblems(StatusCodes.Status401Unauthorized);
        wallet.MapGet("/balance", Balance)
            .WithSummary("The signed-in user's available and held credits (decimal strings)");
        wallet.MapGet("/transactions", Transactions)
            .WithSummary("The user's wallet history, newest first; pass next_cursor as before for the next page")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return api;
    }

    public static async Task<Ok<BalanceResponse>> Balance(HttpContext context, WalletQueries wallet)
    {
        var balance = await wallet.BalanceAsync(context.User.UserId(), context.RequestAborted);
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
            .Select(i => new HistoryItem(i.EntryId, i.TransactionId, KindName(i.Kind), i.Description, i.Amount.ToDecimalString(), i.BalanceAfter.ToDecimalString(), i.CreatedAt))
            .ToList();
        return TypedResults.Ok(new HistoryResponse(items, page.NextCursor?.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>snake_case names of transaction kinds on the wire ("top_up", "welcome_grant").</summary>
    public static string KindName(TransactionKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}
