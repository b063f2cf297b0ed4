namespace Marketplace.Core.Ledger;

public enum HoldStatus
{
    Open = 1,
    Settled = 2,
    Released = 3,
}

/// <summary>Credits moved from a user's available account to their held account until settled or released.</summary>
public sealed class Hold
{
    private Hold()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public long AmountUnits { get; private set; }

    public long SettledUnits { get; private set; }

    public HoldStatus Status { get; private set; }

    public string Reference { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? ResolvedAt { get; private set; }

    public long ReserveTransactionId { get; private set; }

    public long? ResolutionTransactionId { get; private set; }

    internal static Hold Open(Guid id, Guid userId, long amountUnits, string reference, DateTime now, DateTime expiresAt, long reserveTransactionId) => new()
    {
        Id = id,
        UserId = userId,
        AmountUnits = amountUnits,
        Status = HoldStatus.Open,
        Reference = reference,
        CreatedAt = now,
        ExpiresAt = expiresAt,
        ReserveTransactionId = reserveTransactionId,
    };
}
