using Marketplace.Core.Ledger;

namespace Marketplace.Core.Orders;

/// <summary>The accounts a digital purchase moves money between, looked up before its unit of work (they never change).</summary>
internal sealed record DigitalPurchaseAccounts(long BuyerAvailableId, long SellerAvailableId, long RevenueId)
{
    public static async Task<DigitalPurchaseAccounts> FindAsync(LedgerService ledger, PurchaseFacts facts, CancellationToken cancellationToken)
    {
        var buyer = await ledger.UserAccountsAsync(facts.BuyerId, cancellationToken);
        var seller = await ledger.UserAccountsAsync(facts.SellerId, cancellationToken);
        var revenue = await ledger.AccountIdAsync(AccountCodes.Revenue, cancellationToken);
        return new DigitalPurchaseAccounts(buyer.AvailableId, seller.AvailableId, revenue);
    }
}

/// <summary>A digital purchase, paid out at once: the buyer is debited, the seller credited the price minus commission, platform revenue the commission.</summary>
internal sealed class DigitalPurchaseFlow(LedgerService ledger, Receipts receipts, OrderReplays replays, MarketplaceOptions options, TimeProvider clock)
{
    public async Task<PurchaseResult> PostAsync(PurchaseFacts facts, DigitalPurchaseAccounts accounts, SpendIntent spend, string intentSha256, CancellationToken cancellationToken)
    {
        var lines = new List<PostingLine> { new(accounts.BuyerAvailableId, -facts.TotalUnits) };
        AddIfPositive(lines, accounts.SellerAvailableId, facts.TotalUnits - facts.CommissionUnits);
        AddIfPositive(lines, accounts.RevenueId, facts.CommissionUnits);

        var posted = await ledger.PostAsync(new Posting(PurchaseService.SpendKey(facts.BuyerId, spend.Nonce), TransactionKind.Purchase, $"Purchase: {facts.Title}", lines), cancellationToken);
        if (OrderTransaction.Refusal(posted, options.MaxAmount) is { } refused)
        {
            return refused;
        }

        if (posted is not PostingResult.Posted { Replayed: false, Transaction: var transaction })
        {
            return await replays.RacedAsync(facts.BuyerId, spend.Nonce, intentSha256, cancellationToken);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var balanceAfter = transaction.Entries.Single(e => e.AccountId == accounts.BuyerAvailableId).BalanceAfter;
        var receipt = receipts.ForPurchase(facts, intentSha256, balanceAfter, now);
        return OrderTransaction.Record(Order.Purchase(facts, spend.Nonce, intentSha256, receipt, transaction.Id, holdId: null, now));
    }

    // A free product or a zero commission posts no empty line.
    private static void AddIfPositive(List<PostingLine> lines, long accountId, long units)
    {
        if (units > 0)
        {
            lines.Add(new PostingLine(accountId, units));
        }
    }
}
