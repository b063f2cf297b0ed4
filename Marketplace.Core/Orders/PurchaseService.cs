using System.Security.Cryptography;
using System.Text;
using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

/// <summary>
/// Executes signed spend and transfer intents. The checks run in the order the product specifies, and
/// the money moves in one database transaction together with the order and its signed receipt. The
/// nonce is the idempotency key, unique per user across spends and transfers: the same signed intent
/// again returns the stored receipt, the same nonce with a different intent is refused.
/// </summary>
public sealed class PurchaseService(MarketplaceDb db, LedgerService ledger, HoldService holds, Receipts receipts, MarketplaceOptions options, TimeProvider clock)
{
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    /// <param name="audience">This site's origin, which the intent must name.</param>
    public async Task<PurchaseResult> ExecuteAsync(Guid userId, string? intentText, string? publicKey, string? signature, string audience, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audience);
        if (string.IsNullOrEmpty(intentText))
        {
            return new PurchaseResult.Malformed("missing_field", "intent", "Send the signed intent as a JSON string in 'intent'.");
        }

        var (intent, malformed) = SignedIntent.Parse(intentText);
        if (malformed is not null)
        {
            return malformed;
        }

        if (!StrictBase64Url.TryDecode(publicKey, out var key) || key.Length != Ed25519.PublicKeySize)
        {
            return new PurchaseResult.Malformed("invalid_public_key", "public_key", "The public key must be 32 bytes in base64url.");
        }

        if (!StrictBase64Url.TryDecode(signature, out var signatureBytes) || signatureBytes.Length != Ed25519.SignatureSize)
        {
            return new PurchaseResult.Malformed("invalid_signature_encoding", "signature", "The signature must be 64 bytes in base64url.");
        }

        var signer = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.PublicKey, u.DisplayName })
            .SingleOrDefaultAsync(cancellationToken);
        if (signer?.PublicKey is null || !CryptographicOperations.FixedTimeEquals(signer.PublicKey, key))
        {
            return new PurchaseResult.WrongKey();
        }

        if (!Ed25519.Verify(key, Encoding.UTF8.GetBytes(intent!.Text), signatureBytes))
        {
            return new PurchaseResult.BadSignature();
        }

        if (!string.Equals(intent.Audience, audience, StringComparison.OrdinalIgnoreCase))
        {
            return new PurchaseResult.WrongAudience(audience);
        }

        // A signed intent that already ran answers with its receipt however old it is now, so a
        // client that lost the response can always retry; only new intents must be fresh.
        var intentSha256 = intent.Sha256;
        var earlier = await FindAsync(userId, intent.Nonce, cancellationToken);
        if (earlier is not null && earlier.IntentSha256 == intentSha256)
        {
            return new PurchaseResult.Succeeded(earlier, Replayed: true);
        }

        var skewMs = intent.TimestampMs - clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (Math.Abs(skewMs) > (long)AllowedClockSkew.TotalMilliseconds)
        {
            return new PurchaseResult.StaleTimestamp(InFuture: skewMs > 0);
        }

        if (intent.Currency != Credits.Code)
        {
            return new PurchaseResult.UnsupportedCurrency();
        }

        if (options.Exceeds(intent.Amount))
        {
            return new PurchaseResult.AmountTooLarge(options.MaxAmount);
        }

        return intent switch
        {
            SpendIntent spend => await SpendAsync(userId, spend, intentSha256, nonceTaken: earlier is not null, cancellationToken),
            TransferIntent transfer => await TransferAsync(userId, signer.DisplayName, transfer, intentSha256, nonceTaken: earlier is not null, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown intent {intent}."),
        };
    }

    /// <summary>The ledger key of a digital purchase: one per user and nonce.</summary>
    public static string SpendKey(Guid userId, string nonce) => $"spend:{userId:N}:{nonce}";

    public static string TransferKey(Guid userId, string nonce) => $"transfer:{userId:N}:{nonce}";

    /// <summary>A service order's hold id, derived from user and nonce so its ledger key (hold:&lt;id&gt;) is too.</summary>
    public static Guid HoldIdFor(Guid userId, string nonce) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"hold:{userId:N}:{nonce}")).AsSpan(0, 16));

    private async Task<PurchaseResult> SpendAsync(Guid userId, SpendIntent spend, string intentSha256, bool nonceTaken, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == spend.ProductId, cancellationToken);
        if (product is null)
        {
            return new PurchaseResult.ProductNotFound();
        }

        if (!product.IsAvailable)
        {
            return new PurchaseResult.ProductUnavailable();
        }

        if (product.SellerId == userId)
        {
            return new PurchaseResult.OwnProduct();
        }

        var total = new Credits(checked(product.PriceUnits * spend.Quantity));
        if (spend.AmountUnits != total.Units)
        {
            return new PurchaseResult.PriceMismatch(total);
        }

        if (options.Exceeds(total))
        {
            return new PurchaseResult.AmountTooLarge(options.MaxAmount);
        }

        if (nonceTaken)
        {
            return new PurchaseResult.NonceReused();
        }

        var facts = new PurchaseFacts(
            Guid.NewGuid(),
            product.Kind == ProductKind.Service ? OrderKind.Service : OrderKind.Digital,
            userId,
            product.SellerId,
            product.Id,
            product.Name,
            spend.Quantity,
            product.PriceUnits,
            options.Commission(total).Units);
        return await InTransactionAsync(userId, spend, intentSha256, () => facts.Kind == OrderKind.Service
            ? HoldAsync(facts, spend, intentSha256, cancellationToken)
            : PayAsync(facts, spend, intentSha256, cancellationToken), cancellationToken);
    }

    /// <summary>Digital: buyer debited, seller credited the price minus commission, platform revenue the commission.</summary>
    private async Task<PurchaseResult> PayAsync(PurchaseFacts facts, SpendIntent spend, string intentSha256, CancellationToken cancellationToken)
    {
        var buyer = await ledger.UserAccountsAsync(facts.BuyerId, cancellationToken);
        var seller = await ledger.UserAccountsAsync(facts.SellerId, cancellationToken);
        var revenue = await ledger.AccountIdAsync(AccountCodes.Revenue, cancellationToken);
        var lines = new List<PostingLine> { new(buyer.AvailableId, -facts.TotalUnits) };
        AddIfPositive(lines, seller.AvailableId, facts.TotalUnits - facts.CommissionUnits);
        AddIfPositive(lines, revenue, facts.CommissionUnits);

        var posted = await ledger.PostAsync(new Posting(SpendKey(facts.BuyerId, spend.Nonce), TransactionKind.Purchase, Describe(facts), lines), cancellationToken);
        switch (posted)
        {
            case PostingResult.InsufficientFunds:
                return new PurchaseResult.InsufficientFunds();
            case PostingResult.LimitExceeded:
                return new PurchaseResult.AmountTooLarge(options.MaxAmount);
            case PostingResult.KeyConflict:
                return new PurchaseResult.NonceReused();
            case PostingResult.Posted { Replayed: false, Transaction: var transaction }:
                var balanceAfter = transaction.Entries.Single(e => e.AccountId == buyer.AvailableId).BalanceAfter;
                return Record(Order.Purchase(facts, spend.Nonce, intentSha256, receipts.ForPurchase(facts, intentSha256, balanceAfter, Now()), transaction.Id, holdId: null, Now()));
            default:
                return await RacedAsync(facts.BuyerId, spend.Nonce, intentSha256, cancellationToken);
        }
    }

    /// <summary>Service: the buyer's credits move to their held account until the seller delivers or cancels, or the hold expires.</summary>
    private async Task<PurchaseResult> HoldAsync(PurchaseFacts facts, SpendIntent spend, string intentSha256, CancellationToken cancellationToken)
    {
        var holdId = HoldIdFor(facts.BuyerId, spend.Nonce);
        var now = Now();
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
                return Record(Order.Purchase(facts, spend.Nonce, intentSha256, receipts.ForPurchase(facts, intentSha256, balanceAfter, now), hold.ReserveTransactionId, holdId, now));
            default:
                return await RacedAsync(facts.BuyerId, spend.Nonce, intentSha256, cancellationToken);
        }
    }

    private async Task<PurchaseResult> TransferAsync(Guid userId, string senderName, TransferIntent transfer, string intentSha256, bool nonceTaken, CancellationToken cancellationToken)
    {
        var email = User.NormalizeEmail(transfer.Recipient);
        var recipient = await db.Users.AsNoTracking()
            .Where(u => u.Email == email)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.EmailVerifiedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (recipient is null)
        {
            return new PurchaseResult.RecipientNotFound();
        }

        if (recipient.Id == userId)
        {
            return new PurchaseResult.SelfTransfer();
        }

        if (nonceTaken)
        {
            return new PurchaseResult.NonceReused();
        }

        // Whoever registered an address first must not receive credits meant for its owner.
        if (recipient.EmailVerifiedAt is null)
        {
            return new PurchaseResult.RecipientUnverified();
        }

        return await InTransactionAsync(userId, transfer, intentSha256, async () =>
        {
            var sender = await ledger.UserAccountsAsync(userId, cancellationToken);
            var receiver = await ledger.UserAccountsAsync(recipient.Id, cancellationToken);
            var amount = transfer.AmountUnits;
            var posted = await ledger.PostAsync(
                new Posting(TransferKey(userId, transfer.Nonce), TransactionKind.Transfer, $"Transfer from {senderName} to {recipient.DisplayName}", [new(sender.AvailableId, -amount), new(receiver.AvailableId, amount)]),
                cancellationToken);
            switch (posted)
            {
                case PostingResult.InsufficientFunds:
                    return new PurchaseResult.InsufficientFunds();
                case PostingResult.LimitExceeded:
                    return new PurchaseResult.AmountTooLarge(options.MaxAmount);
                case PostingResult.KeyConflict:
                    return new PurchaseResult.NonceReused();
                case PostingResult.Posted { Replayed: false, Transaction: var transaction }:
                    var orderId = Guid.NewGuid();
                    var balanceAfter = transaction.Entries.Single(e => e.AccountId == sender.AvailableId).BalanceAfter;
                    var receipt = receipts.ForTransfer(orderId, intentSha256, amount, userId, recipient.Id, recipient.Email, balanceAfter, Now());
                    return Record(Order.Transfer(orderId, userId, recipient.Id, amount, transfer.Nonce, intentSha256, receipt, transaction.Id, Now()));
                default:
                    return await RacedAsync(userId, transfer.Nonce, intentSha256, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// One transaction for the money and the order. The nonce is looked up again once the transaction
    /// holds the write lock, and the unique (buyer, nonce) index catches whatever still slips through,
    /// so concurrent copies of one intent charge once and all answer with the same receipt.
    /// </summary>
    private async Task<PurchaseResult> InTransactionAsync(Guid userId, SignedIntent intent, string intentSha256, Func<Task<PurchaseResult>> execute, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var earlier = await FindAsync(userId, intent.Nonce, cancellationToken);
        if (earlier is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return Replay(earlier, intentSha256);
        }

        var result = await execute();
        if (result is not PurchaseResult.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return result;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseProvider.IsUniqueViolation(ex))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var winner = await FindAsync(userId, intent.Nonce, cancellationToken)
                ?? throw new InvalidOperationException("Unique violation on orders without a conflicting order.", ex);
            return Replay(winner, intentSha256);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// The ledger already holds this nonce's posting: a concurrent copy committed it between our look-up
    /// and our posting (possible where writers do not serialise, as on PostgreSQL). Its order committed with it.
    /// </summary>
    private async Task<PurchaseResult> RacedAsync(Guid userId, string nonce, string intentSha256, CancellationToken cancellationToken)
    {
        var winner = await FindAsync(userId, nonce, cancellationToken)
            ?? throw new InvalidOperationException($"The ledger holds a posting for nonce {nonce} of user {userId} without its order.");
        return Replay(winner, intentSha256);
    }

    private PurchaseResult.Succeeded Record(Order order)
    {
        db.Orders.Add(order);
        return new PurchaseResult.Succeeded(order, Replayed: false);
    }

    private Task<Order?> FindAsync(Guid userId, string nonce, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.BuyerId == userId && o.Nonce == nonce, cancellationToken);

    private static PurchaseResult Replay(Order earlier, string intentSha256) =>
        earlier.IntentSha256 == intentSha256 ? new PurchaseResult.Succeeded(earlier, Replayed: true) : new PurchaseResult.NonceReused();

    private static void AddIfPositive(List<PostingLine> lines, long accountId, long units)
    {
        if (units > 0)
        {
            lines.Add(new PostingLine(accountId, units));
        }
    }

    private static string Describe(PurchaseFacts facts) => $"Purchase: {facts.Title}";

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
