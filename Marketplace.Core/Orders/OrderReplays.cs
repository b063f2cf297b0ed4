using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

/// <summary>
/// The nonce is the idempotency key, unique per user across spends and transfers: an order already made with it
/// answers the same signed intent again with its stored receipt, and refuses any other intent with that nonce.
/// </summary>
internal sealed class OrderReplays(MarketplaceDb db)
{
    // Not an EF compiled query: those are bound to one model, and the writer's context and the request's each have their own.
    public Task<Order?> FindAsync(Guid userId, string nonce, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.BuyerId == userId && o.Nonce == nonce, cancellationToken);

    public static PurchaseResult Replay(Order earlier, string intentSha256) =>
        earlier.IntentSha256 == intentSha256 ? new PurchaseResult.Succeeded(earlier, Replayed: true) : new PurchaseResult.NonceReused();

    /// <summary>
    /// The ledger already holds this nonce's posting: a concurrent copy committed it between our look-up and our posting
    /// (possible where writers do not serialise, as on PostgreSQL). Its order committed with it.
    /// </summary>
    public async Task<PurchaseResult> RacedAsync(Guid userId, string nonce, string intentSha256, CancellationToken cancellationToken)
    {
        var winner = await FindAsync(userId, nonce, cancellationToken)
            ?? throw new InvalidOperationException($"The ledger holds a posting for nonce {nonce} of user {userId} without its order.");
        return Replay(winner, intentSha256);
    }
}
