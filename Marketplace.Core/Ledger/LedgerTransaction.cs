using Marketplace.Core.Persistence;

namespace Marketplace.Core.Ledger;

public enum TransactionKind
{
    TopUp = 1,
    BonusGrant = 2,
    WelcomeGrant = 3,
    Purchase = 10,
    SaleProceeds = 11,
    Commission = 12,
    Hold = 20,
    HoldSettlement = 21,
    HoldRelease = 22,
    Transfer = 30,
    Refund = 40,
    AdminAdjustment = 50,
}

/// <summary>An immutable, balanced set of entries, unique by its idempotency key.</summary>
public sealed class LedgerTransaction
{
    private readonly List<LedgerEntry> _entries = [];

    private LedgerTransaction()
    {
    }

    public long Id { get; private set; }

    public TransactionKind Kind { get; private set; }

    public string IdempotencyKey { get; private set; } = string.Empty;

    /// <summary>SHA-256 of kind and lines, to tell a replay from a conflicting reuse of the key.</summary>
    public string ContentHash { get; private set; } = string.Empty;

    public string Description { get; private set; } = string.Empty;

    public string? Metadata { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>The <see cref="Hash"/> of the transaction before this one (by id); <see cref="LedgerChain.Genesis"/> for the first.</summary>
    public string? PreviousHash { get; private set; }

    /// <summary>SHA-256 of <see cref="LedgerChain.Canonical"/>: this transaction's content and <see cref="PreviousHash"/>.</summary>
    public string? Hash { get; private set; }

    /// <summary>This transaction's leaf in the ledger's Merkle tree (<see cref="LedgerTree"/>): 0 for the first transaction, in id order.</summary>
    public long? LeafIndex { get; private set; }

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    internal static LedgerTransaction Create(Posting posting, string contentHash, DateTime now) => new()
    {
        Kind = posting.Kind,
        IdempotencyKey = posting.IdempotencyKey,
        ContentHash = contentHash,
        Description = posting.Description,
        Metadata = posting.Metadata,
        // The hash covers the time as stored, and PostgreSQL keeps whole microseconds: the chain must not depend on the database.
        CreatedAt = DatabaseProvider.StoredPrecision(now),
    };

    /// <summary>Links this transaction after the one whose hash is <paramref name="previousHash"/>; needs its id, so it runs after the insert.</summary>
    internal void Chain(string previousHash)
    {
        PreviousHash = previousHash;
        Hash = LedgerChain.Compute(Id, Kind, IdempotencyKey, CreatedAt, _entries.Select(e => (e.AccountId, e.Amount)), previousHash);
    }

    /// <summary>The bytes the chain hashes and the Merkle tree takes as this transaction's leaf.</summary>
    public string Canonical() =>
        LedgerChain.Canonical(Id, Kind, IdempotencyKey, CreatedAt, _entries.Select(e => (e.AccountId, e.Amount)), PreviousHash ?? throw new InvalidOperationException($"Ledger transaction {Id} is not chained yet."));

    internal void PlaceInTree(long leafIndex) => LeafIndex = leafIndex;

    /// <summary>The id the database gave the row that a plain INSERT wrote (the posting path bypasses change tracking).</summary>
    internal void Recorded(long id) => Id = id;

    /// <summary>A row as stored, read back to be linked into the chain and the tree after a group of postings.</summary>
    internal static LedgerTransaction Stored(long id, TransactionKind kind, string idempotencyKey, DateTime createdAt) => new()
    {
        Id = id,
        Kind = kind,
        IdempotencyKey = idempotencyKey,
        CreatedAt = createdAt,
    };

    internal void AddEntry(long accountId, long amount, long balanceAfter) =>
        _entries.Add(new LedgerEntry(accountId, amount, balanceAfter));
}

public sealed class LedgerEntry
{
    internal LedgerEntry(long accountId, long amount, long balanceAfter)
    {
        AccountId = accountId;
        Amount = amount;
        BalanceAfter = balanceAfter;
    }

    public long Id { get; private set; }

    public long TransactionId { get; private set; }

    public LedgerTransaction Transaction { get; private set; } = null!;

    public long AccountId { get; private set; }

    /// <summary>Signed minor units: positive credits the account, negative debits it.</summary>
    public long Amount { get; private set; }

    public long BalanceAfter { get; private set; }
}
