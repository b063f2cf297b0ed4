using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

/// <summary>Whom a transfer intent names: an account by its email address, and whether that address is proven theirs.</summary>
internal sealed record TransferRecipient(Guid Id, string Email, string DisplayName, bool EmailVerified);

/// <summary>A user-to-user transfer: the sender's available credits to the recipient's, no commission.</summary>
internal sealed class TransferFlow(LedgerService ledger, Receipts receipts, OrderReplays replays, MarketplaceOptions options, TimeProvider clock)
{
    public static Task<TransferRecipient?> FindRecipientAsync(MarketplaceDb db, TransferIntent transfer, CancellationToken cancellationToken)
    {
        var email = User.NormalizeEmail(transfer.Recipient);
        return db.Users.AsNoTracking()
            .Where(u => u.Email == email)
            .Select(u => new TransferRecipient(u.Id, u.Email, u.DisplayName, u.EmailVerifiedAt != null))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <param name="sender">The sender's accounts and <paramref name="receiver"/> the recipient's, looked up before the unit of work.</param>
    public async Task<PurchaseResult> PostAsync(Guid senderId, string senderName, TransferRecipient recipient, UserAccounts sender, UserAccounts receiver, TransferIntent transfer, string intentSha256, CancellationToken cancellationToken)
    {
        var amount = transfer.AmountUnits;
        var posted = await ledger.PostAsync(
            new Posting(PurchaseService.TransferKey(senderId, transfer.Nonce), TransactionKind.Transfer, $"Transfer from {senderName} to {recipient.DisplayName}", [new(sender.AvailableId, -amount), new(receiver.AvailableId, amount)]),
            cancellationToken);
        if (OrderTransaction.Refusal(posted, options.MaxAmount) is { } refused)
        {
            return refused;
        }

        if (posted is not PostingResult.Posted { Replayed: false, Transaction: var transaction })
        {
            return await replays.RacedAsync(senderId, transfer.Nonce, intentSha256, cancellationToken);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var orderId = Order.NewId();
        var balanceAfter = transaction.Entries.Single(e => e.AccountId == sender.AvailableId).BalanceAfter;
        var receipt = receipts.ForTransfer(orderId, intentSha256, amount, senderId, recipient.Id, recipient.Email, balanceAfter, now);
        return OrderTransaction.Record(Order.Transfer(orderId, senderId, recipient.Id, amount, transfer.Nonce, intentSha256, receipt, transaction.Id, now));
    }
}
