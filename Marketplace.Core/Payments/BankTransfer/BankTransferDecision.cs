namespace Marketplace.Core.Payments.BankTransfer;

/// <summary>
/// An admin's decision on one bank transfer, kept with the gateway rather than on <see cref="Payment"/>: what actually
/// arrived (confirmed; null when rejected), who decided, when, and the note (or the rejection's reason). Written in the
/// same transaction as the payment's transition, once.
/// </summary>
public sealed class BankTransferDecision
{
    public const int MaxNoteLength = 1000;

    private BankTransferDecision()
    {
    }

    public Guid PaymentId { get; private set; }

    /// <summary>What arrived, in the payment's currency (credits follow it); null for a rejection.</summary>
    public long? ReceivedMinor { get; private set; }

    public Guid DecidedById { get; private set; }

    public DateTime DecidedAt { get; private set; }

    /// <summary>The confirmation's note or the rejection's reason.</summary>
    public string Note { get; private set; } = string.Empty;

    public static BankTransferDecision Confirmed(Guid paymentId, Money received, Guid adminId, string note, DateTime now) => new()
    {
        PaymentId = paymentId,
        ReceivedMinor = received.Minor,
        DecidedById = adminId,
        DecidedAt = now,
        Note = note,
    };

    public static BankTransferDecision Rejected(Guid paymentId, Guid adminId, string reason, DateTime now) => new()
    {
        PaymentId = paymentId,
        DecidedById = adminId,
        DecidedAt = now,
        Note = reason,
    };
}
