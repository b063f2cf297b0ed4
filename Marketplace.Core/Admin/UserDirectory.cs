using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Admin;

public sealed record UserSummary(Guid Id, string Email, string DisplayName, DateTime CreatedAt, bool EmailVerified = false, bool IsAdmin = false);

public sealed record OpenHold(Guid Id, Credits Amount, string Reference, DateTime CreatedAt, DateTime ExpiresAt);

/// <summary>Everything an admin looks at before adjusting a balance or refunding an order.</summary>
public sealed record UserDetail(UserSummary User, WalletBalance Balance, IReadOnlyList<OpenHold> OpenHolds, WalletHistoryPage History, IReadOnlyList<OrderView> Orders);

/// <summary>Admin reads of users: find by email or name, and one user's balance, holds, history and orders.</summary>
public sealed class UserDirectory(MarketplaceDb db, WalletQueries wallet, OrderQueries orders)
{
    public const int MaxResults = 50;
    public const int MaxQueryLength = 254;

    /// <summary>Users whose email or display name contains <paramref name="query"/> (emails are stored lower-case; SQLite LIKE ignores ASCII case), newest first.</summary>
    public async Task<IReadOnlyList<UserSummary>> SearchAsync(string? query, CancellationToken cancellationToken = default)
    {
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query))
        {
            var pattern = "%" + EscapeLike(query.Trim().ToLowerInvariant()) + "%";
            users = users.Where(u => EF.Functions.Like(u.Email, pattern, "\\") || EF.Functions.Like(u.DisplayName, pattern, "\\"));
        }

        return await users.OrderByDescending(u => u.CreatedAt).ThenBy(u => u.Email).Take(MaxResults)
            .Select(u => new UserSummary(u.Id, u.Email, u.DisplayName, u.CreatedAt, u.EmailVerifiedAt != null, u.IsAdmin))
            .ToListAsync(cancellationToken);
    }

    public async Task<UserDetail?> FindAsync(Guid userId, int historyLimit, long? historyBefore, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new UserSummary(u.Id, u.Email, u.DisplayName, u.CreatedAt, u.EmailVerifiedAt != null, u.IsAdmin))
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }

        var holds = await db.Holds.AsNoTracking().Where(h => h.UserId == userId && h.Status == HoldStatus.Open)
            .OrderBy(h => h.ExpiresAt)
            .Select(h => new { h.Id, h.AmountUnits, h.Reference, h.CreatedAt, h.ExpiresAt })
            .ToListAsync(cancellationToken);
        return new UserDetail(
            user,
            await wallet.BalanceAsync(userId, cancellationToken),
            holds.Select(h => new OpenHold(h.Id, new Credits(h.AmountUnits), h.Reference, h.CreatedAt, h.ExpiresAt)).ToList(),
            await wallet.HistoryAsync(userId, historyLimit, historyBefore, cancellationToken),
            await orders.ForBuyerAsync(userId, OrderQueries.MaxPageSize, cancellationToken));
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
