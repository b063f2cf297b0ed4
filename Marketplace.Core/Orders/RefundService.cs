using Marketplace.Core.Admin;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

public abstract record RefundResult
{
    private RefundResult()
    {
    }

    /// <param name="Amount">What went back to the buyer.</param>
    /// <param name="SellerShareFromAdjustments">The seller's share was taken from platform:adjustments instead of the seller.</param>
    public sealed record Refunded(Order Order, Credits Amount, bool SellerShareFromAdjustments) : RefundResult;

    public sealed record NotFound : RefundResult;

    public sealed record AlreadyRefunded(Order Order) : RefundResult;

    /// <summary>Transfers, and service orders already cancelled or expired (their credits are back with the buyer).</summary>
    public sealed record NotRefundable(Order Order) : RefundResult;

    /// <summary>The seller has spent part of the proceeds; nothing changed. Refund again with the platform covering the seller's share, or not at all.</summary>
    public sealed record SellerBalanceInsufficient(Credits SellerAvailable, Credits SellerShare) : RefundResult;

    public sealed record Invalid(string Code, string Field, string Message) : RefundResult;
}

/// <summary>
/// An admin refund of an order, in one transaction with its audit entry and the order's move to Refunded:
/// <list type="bullet">
/// <item>paid orders (digital, or a delivered service) reverse exactly what was paid out: the seller's proceeds and
/// the platform's commission go back to the buyer (kind Refund, key <c>refund:&lt;order id&gt;</c>, so once only);</item>
/// <item>a service order still on hold is refunded by releasing the hold.</item>
/// </list>
/// A seller who no longer has the proceeds is never taken negative: the refund is refused with
/// <see cref="RefundResult.SellerBalanceInsufficient"/>, unless the admin explicitly asks for the seller's share to
/// come from <c>platform:adjustments</c> (the platform absorbs it and may recover it later by an adjustment).
/// </summary>
public sealed class RefundService(MarketplaceDb db, LedgerService ledger, HoldService holds, AuditLog audit, TimeProvider clock)
{
    public const string AuditAction = "order.refund";

    public static string RefundKey(Guid orderId) => $"refund:{orderId:N}";

    public async Task<RefundResult> RefundAsync(AdminActor admin, Guid orderId, string? reason, bool sellerShareFromAdjustments = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new RefundResult.Invalid("reason_required", "reason", "Give the reason for the refund; it is kept in the audit log.");
        }

        reason = reason.Trim();
        if (reason.Length > BalanceAdjustments.MaxReasonLength)
        {
            return new RefundResult.Invalid("reason_too_long", "reason", $"The reason is at most {BalanceAdjustments.MaxReasonLength} characters.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await DatabaseProvider.LockRowAsync<Order>(db, orderId, cancellationToken);
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null)
        {
            return new RefundResult.NotFound();
        }

        if (order.Status == OrderStatus.Refunded)
        {
            return new RefundResult.AlreadyRefunded(order);
        }

        if (order.HoldId is { } locked)
        {
            await DatabaseProvider.LockRowAsync<Hold>(db, locked, cancellationToken);
        }

        var hold = order.HoldId is { } holdId ? await db.Holds.AsNoTracking().SingleAsync(h => h.Id == holdId, cancellationToken) : null;
        if (order.Kind == OrderKind.Transfer || order.Status is OrderStatus.Cancelled or OrderStatus.Expired
            || (order.Status == OrderStatus.AwaitingDelivery && hold?.Status != HoldStatus.Open))
        {
            return new RefundResult.NotRefundable(order);
        }

        var (outcome, details) = order.Status == OrderStatus.AwaitingDelivery
            ? await ReleaseAsync(order, hold!, cancellationToken)
            : await ReversePayoutAsync(order, hold, sellerShareFromAdjustments, cancellationToken);
        if (outcome is not RefundResult.Refunded refunded)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return outcome;
        }

        order.MarkRefunded(clock.GetUtcNow().UtcDateTime);
        audit.Add(admin, AuditAction, $"order:{order.Id}", reason, details);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A seller's deliver or cancel changed the order first (possible where writers do not serialise).
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var now = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId, cancellationToken);
            return now.Status == OrderStatus.Refunded ? new RefundResult.AlreadyRefunded(now) : new RefundResult.NotRefundable(now);
        }

        await transaction.CommitAsync(cancellationToken);
        return refunded;
    }

    private async Task<(RefundResult Outcome, object? Details)> ReleaseAsync(Order order, Hold hold, CancellationToken cancellationToken)
    {
        var released = await holds.ReleaseAsync(hold.Id, cancellationToken);
        if (released is not HoldResult.Done { Hold: var done })
        {
            throw new InvalidOperationException($"The open hold {hold.Id} of order {order.Id} could not be released: {released}.");
        }

        return (new RefundResult.Refunded(order, order.Total, SellerShareFromAdjustments: false), new
        {
            amount = order.Total.ToDecimalString(),
            buyer_id = order.BuyerId,
            seller_id = order.SellerId,
            how = "hold_released",
            transaction_id = done.ResolutionTransactionId,
        });
    }

    /// <summary>Negates the seller's and the platform's lines of the transaction that paid them, and credits the buyer their sum.</summary>
    private async Task<(RefundResult Outcome, object? Details)> ReversePayoutAsync(Order order, Hold? hold, bool sellerShareFromAdjustments, CancellationToken cancellationToken)
    {
        var payoutTransactionId = order.Kind == OrderKind.Service
            ? hold?.ResolutionTransactionId ?? throw new InvalidOperationException($"Delivered order {order.Id} has no settlement.")
            : order.LedgerTransactionId;
        var buyer = await ledger.UserAccountsAsync(order.BuyerId, cancellationToken);
        var seller = await ledger.UserAccountsAsync(order.SellerId!.Value, cancellationToken);
        var revenue = await ledger.AccountIdAsync(AccountCodes.Revenue, cancellationToken);
        var paid = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.TransactionId == payoutTransactionId && (e.AccountId == seller.AvailableId || e.AccountId == revenue))
            .Select(e => new { e.AccountId, e.Amount })
            .ToListAsync(cancellationToken);
        var sellerShare = paid.Where(e => e.AccountId == seller.AvailableId).Sum(e => e.Amount);
        var commission = paid.Where(e => e.AccountId == revenue).Sum(e => e.Amount);
        var amount = new Credits(checked(sellerShare + commission));
        var fromAdjustments = sellerShareFromAdjustments && sellerShare > 0;

        long? transactionId = null;
        if (amount.Units > 0)
        {
            var lines = new List<PostingLine> { new(buyer.AvailableId, amount.Units) };
            if (sellerShare > 0)
            {
                lines.Add(new PostingLine(fromAdjustments ? await ledger.AccountIdAsync(AccountCodes.Adjustments, cancellationToken) : seller.AvailableId, -sellerShare));
            }

            if (commission > 0)
            {
                lines.Add(new PostingLine(revenue, -commission));
            }

            var product = await db.Products.Where(p => p.Id == order.ProductId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken);
            var posted = await ledger.PostAsync(new Posting(RefundKey(order.Id), TransactionKind.Refund, $"Refund: {product ?? "order"}", lines), cancellationToken);
            switch (posted)
            {
                case PostingResult.InsufficientFunds:
                    var available = await db.Accounts.Where(a => a.Id == seller.AvailableId).Select(a => a.Balance).SingleAsync(cancellationToken);
                    return (new RefundResult.SellerBalanceInsufficient(new Credits(available), new Credits(sellerShare)), null);
                case PostingResult.Posted { Replayed: false, Transaction: var transaction }:
                    transactionId = transaction.Id;
                    break;
                default:
                    throw new InvalidOperationException($"Refund {RefundKey(order.Id)} was already in the ledger for an order that is not refunded: {posted}.");
            }
        }

        return (new RefundResult.Refunded(order, amount, fromAdjustments), new
        {
            amount = amount.ToDecimalString(),
            buyer_id = order.BuyerId,
            seller_id = order.SellerId,
            seller_share = new Credits(sellerShare).ToDecimalString(),
            commission = new Credits(commission).ToDecimalString(),
            seller_share_from = fromAdjustments ? AccountCodes.Adjustments : "seller",
            transaction_id = transactionId,
        });
    }
}
