using System.Security.Cryptography;
using System.Text;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;

namespace Marketplace.Core.Orders;

/// <summary>
/// Executes signed spend and transfer intents, running the checks in the order product.md gives them, each with its own
/// answer: <see cref="IntentVerification"/> (well-formed, the registered key, the signature, the audience), then a
/// replay of an intent that already ran (<see cref="OrderReplays"/>), freshness, currency and the money limit, then what
/// the intent buys (<see cref="SpendPricing"/>, or the transfer's recipient) and last the nonce. One posting flow
/// (<see cref="DigitalPurchaseFlow"/>, <see cref="ServiceOrderFlow"/>, <see cref="TransferFlow"/>) then moves the money and
/// records the order with its signed receipt in one unit of work (<see cref="OrderTransaction"/>): one unit of the ledger
/// writer's group commit, so the debit, the order and the receipt commit together or not at all.
/// </summary>
public sealed class PurchaseService
{
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    private readonly MarketplaceDb _db;
    private readonly LedgerService _ledger;
    private readonly Receipts _receipts;
    private readonly MarketplaceOptions _options;
    private readonly TimeProvider _clock;
    private readonly IntentVerification _verification;
    private readonly OrderReplays _replays;
    private readonly SpendPricing _pricing;
    private readonly OrderTransaction _orders;

    /// <param name="writer">
    /// The process's ledger writer: each purchase's unit of work joins its next group commit. Without one (tests that
    /// exercise the plain path) each purchase is a database transaction of its own.
    /// </param>
    public PurchaseService(MarketplaceDb db, LedgerService ledger, Receipts receipts, MarketplaceOptions options, TimeProvider clock, LedgerWriter? writer = null)
    {
        _db = db;
        _ledger = ledger;
        _receipts = receipts;
        _options = options;
        _clock = clock;
        _verification = new IntentVerification(db);
        _replays = new OrderReplays(db);
        _pricing = new SpendPricing(db, options);
        _orders = new OrderTransaction(db, writer);
    }

    /// <param name="audience">This site's origin, which the intent must name.</param>
    public async Task<PurchaseResult> ExecuteAsync(Guid userId, string? intentText, string? publicKey, string? signature, string audience, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audience);
        var (verified, refused) = await _verification.VerifyAsync(userId, intentText, publicKey, signature, audience, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var intent = verified!.Intent;
        // A signed intent that already ran answers with its receipt however old it is now, so a
        // client that lost the response can always retry; only new intents must be fresh.
        var intentSha256 = intent.Sha256;
        var earlier = await _replays.FindAsync(userId, intent.Nonce, cancellationToken);
        if (earlier is not null && earlier.IntentSha256 == intentSha256)
        {
            return new PurchaseResult.Succeeded(earlier, Replayed: true);
        }

        var skewMs = intent.TimestampMs - _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (Math.Abs(skewMs) > (long)AllowedClockSkew.TotalMilliseconds)
        {
            return new PurchaseResult.StaleTimestamp(InFuture: skewMs > 0);
        }

        if (intent.Currency != Credits.Code)
        {
            return new PurchaseResult.UnsupportedCurrency();
        }

        if (_options.Exceeds(intent.Amount))
        {
            return new PurchaseResult.AmountTooLarge(_options.MaxAmount);
        }

        var nonceTaken = earlier is not null;
        return intent switch
        {
            SpendIntent spend => await SpendAsync(userId, spend, intentSha256, nonceTaken, cancellationToken),
            TransferIntent transfer => await TransferAsync(userId, verified.SignerName, transfer, intentSha256, nonceTaken, cancellationToken),
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
        var (facts, refused) = await _pricing.PriceAsync(userId, spend, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (nonceTaken)
        {
            return new PurchaseResult.NonceReused();
        }

        // Everything that can be read before the unit of work is: the writer's time goes to the writes alone.
        if (facts!.Kind == OrderKind.Service)
        {
            return await _orders.RunAsync(userId, spend, orders => Service(orders).PostAsync(facts, spend, intentSha256, cancellationToken), cancellationToken);
        }

        var accounts = await DigitalPurchaseAccounts.FindAsync(_ledger, facts, cancellationToken);
        return await _orders.RunAsync(userId, spend, orders => Digital(orders).PostAsync(facts, accounts, spend, intentSha256, cancellationToken), cancellationToken);
    }

    private async Task<PurchaseResult> TransferAsync(Guid userId, string senderName, TransferIntent transfer, string intentSha256, bool nonceTaken, CancellationToken cancellationToken)
    {
        var recipient = await TransferFlow.FindRecipientAsync(_db, transfer, cancellationToken);
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
        if (!recipient.EmailVerified)
        {
            return new PurchaseResult.RecipientUnverified();
        }

        var sender = await _ledger.UserAccountsAsync(userId, cancellationToken);
        var receiver = await _ledger.UserAccountsAsync(recipient.Id, cancellationToken);
        return await _orders.RunAsync(userId, transfer, orders => Transfers(orders).PostAsync(userId, senderName, recipient, sender, receiver, transfer, intentSha256, cancellationToken), cancellationToken);
    }

    // The flows run inside a unit of work, on its context (the writer's when there is one), never on the request's.
    private DigitalPurchaseFlow Digital(OrderTransaction orders) =>
        new(new LedgerService(orders.Db, _clock), _receipts, new OrderReplays(orders.Db), _options, _clock);

    private ServiceOrderFlow Service(OrderTransaction orders)
    {
        var ledger = new LedgerService(orders.Db, _clock);
        return new ServiceOrderFlow(orders.Db, ledger, new HoldService(orders.Db, ledger, _clock), _receipts, new OrderReplays(orders.Db), _options, _clock);
    }

    private TransferFlow Transfers(OrderTransaction orders) =>
        new(new LedgerService(orders.Db, _clock), _receipts, new OrderReplays(orders.Db), _options, _clock);
}
