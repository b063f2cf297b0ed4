namespace Marketplace.Core.Orders;

/// <summary>
/// Every outcome of executing a signed intent, in the order the checks run. Only <see cref="Succeeded"/>
/// moved money; every other result changed nothing.
/// </summary>
public abstract record PurchaseResult
{
    private PurchaseResult()
    {
    }

    /// <summary>Executed now, or <paramref name="Replayed"/>: the same signed intent ran before and this is its stored receipt.</summary>
    public sealed record Succeeded(Order Order, bool Replayed) : PurchaseResult;

    /// <summary>The body or the intent is not well-formed; <paramref name="Field"/> names what is wrong.</summary>
    public sealed record Malformed(string Code, string Field, string Message) : PurchaseResult;

    /// <summary>The public key sent is not the one registered to the signed-in user.</summary>
    public sealed record WrongKey : PurchaseResult;

    /// <summary>The signature does not verify over the exact intent bytes.</summary>
    public sealed record BadSignature : PurchaseResult;

    public sealed record WrongAudience(string Expected) : PurchaseResult;

    /// <summary>The timestamp is more than the allowed skew away from the server's clock.</summary>
    public sealed record StaleTimestamp(bool InFuture) : PurchaseResult;

    public sealed record UnsupportedCurrency : PurchaseResult;

    public sealed record ProductNotFound : PurchaseResult;

    public sealed record ProductUnavailable : PurchaseResult;

    public sealed record OwnProduct : PurchaseResult;

    public sealed record PriceMismatch(Credits Expected) : PurchaseResult;

    public sealed record RecipientNotFound : PurchaseResult;

    /// <summary>The recipient has not verified their email address yet, so it may not be theirs.</summary>
    public sealed record RecipientUnverified : PurchaseResult;

    public sealed record SelfTransfer : PurchaseResult;

    /// <summary>This user already used the nonce for a different intent.</summary>
    public sealed record NonceReused : PurchaseResult;

    public sealed record InsufficientFunds : PurchaseResult;

    /// <summary>The amount is above the largest one operation may move (<see cref="MarketplaceOptions.MaxAmount"/>), or would take a balance past the ledger's limit.</summary>
    public sealed record AmountTooLarge(Credits Max) : PurchaseResult;
}
