using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

/// <summary>
/// A service order: the buyer's credits move to their held account until the seller delivers or cancels, or the hold
/// expires (<see cref="SellerService"/> and the hold-expiry job take it from there).
/// </summary>
internal sealed class ServiceOrderFlow(MarketplaceDb db, LedgerService ledger, HoldService holds, Receipts receipts, OrderReplays replays, MarketplaceOptions options, TimeProvider clock)
{
    public async Task<PurchaseResult> PostAsync(PurchaseFacts facts, SpendIntent spend, string intentSha256, CancellationToken cancellationToken)
    {
        var holdId = PurchaseService.HoldIdFor(facts.BuyerId, spend.Nonce);
        var now = clock.GetUtcNow().UtcDateTime;
        var reserved = await holds.ReserveAsync(holdId, facts.BuyerId, facts.TotalUnits, facts.Title, now + options.HoldExpiry, cancellationToken);
        switch (reserved)
        {
            case HoldResult.InsufficientFunds:
                return new PurchaseResult.InsufficientFunds();
            case HoldResult.Invalid:
                return new PurchaseResult.NonceReused();
            case HoldResult.Done { Replayed: false, Hold: var hold }:
                var buyer = await ledger.UserAccountsAsync(facts.BuyerId, cancellationToken);
                var balanceAfter = await db.LedgerEntries
                    .Where(e => e.TransactionId == hold.ReserveTransactionId && e.AccountId == buyer.AvailableId)
                    .Select(e => e.BalanceAfter)
                    .SingleAsync(cancellationToken);
                var receipt = receipts.ForPurchase(facts, intentSha256, balanceAfter, now);
                return OrderTransaction.Record(Order.Purchase(facts, spend.Nonce, intentSha256, receipt, hold.ReserveTransactionId, holdId, now));
            default:
                return await replays.RacedAsync(facts.BuyerId, spend.Nonce, intentSha256, cancellationToken);
        }
    }
}
