namespace Marketplace.Core.Ledger;

public enum ReconciliationStatus
{
    Clean = 1,
    Discrepancies = 2,
}

/// <summary>How much one run looked at.</summary>
public readonly record struct ReconciliationCounts(long Transactions, long Entries, long Accounts, long Payments, long Holds, long Orders);

/// <summary>One reconciliation pass: when, how long, what it checked, and what it found.</summary>
public sealed class ReconciliationRun
{
    private readonly List<ReconciliationDiscrepancy> _discrepancies = [];

    private ReconciliationRun()
    {
    }

    public long Id { get; private set; }

    /// <summary>Who asked: <c>schedule</c>, or <c>admin:&lt;email&gt;</c>.</summary>
    public string Trigger { get; private set; } = string.Empty;

    public DateTime StartedAt { get; private set; }

    public DateTime FinishedAt { get; private set; }

    public long DurationMs { get; private set; }

    public long TransactionsChecked { get; private set; }

    public long EntriesChecked { get; private set; }

    public long AccountsChecked { get; private set; }

    public long PaymentsChecked { get; private set; }

    public long HoldsChecked { get; private set; }

    public long OrdersChecked { get; private set; }

    public int DiscrepancyCount { get; private set; }

    public ReconciliationStatus Status { get; private set; }

    /// <summary>The newest transaction's hash when the run verified the chain; write it down elsewhere to anchor the history.</summary>
    public string ChainHead { get; private set; } = string.Empty;

    public IReadOnlyList<ReconciliationDiscrepancy> Discrepancies => _discrepancies;

    public ReconciliationCounts Counts => new(TransactionsChecked, EntriesChecked, AccountsChecked, PaymentsChecked, HoldsChecked, OrdersChecked);

    internal static ReconciliationRun Record(string trigger, DateTime startedAt, DateTime finishedAt, TimeSpan duration, ReconciliationCounts counts, string chainHead, IReadOnlyList<ReconciliationDiscrepancy> discrepancies)
    {
        var run = new ReconciliationRun
        {
            Trigger = trigger,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            DurationMs = (long)duration.TotalMilliseconds,
            TransactionsChecked = counts.Transactions,
            EntriesChecked = counts.Entries,
            AccountsChecked = counts.Accounts,
            PaymentsChecked = counts.Payments,
            HoldsChecked = counts.Holds,
            OrdersChecked = counts.Orders,
            DiscrepancyCount = discrepancies.Count,
            Status = discrepancies.Count == 0 ? ReconciliationStatus.Clean : ReconciliationStatus.Discrepancies,
            ChainHead = chainHead,
        };
        run._discrepancies.AddRange(discrepancies);
        return run;
    }
}

/// <summary>One thing that does not add up: which check, which ids, what was expected and what was found.</summary>
public sealed class ReconciliationDiscrepancy
{
    private ReconciliationDiscrepancy()
    {
    }

    public long Id { get; private set; }

    public long RunId { get; private set; }

    /// <summary>A stable check name, one of <see cref="ReconciliationChecks"/>' constants.</summary>
    public string Check { get; private set; } = string.Empty;

    public long? TransactionId { get; private set; }

    public long? EntryId { get; private set; }

    public long? AccountId { get; private set; }

    public Guid? PaymentId { get; private set; }

    public Guid? HoldId { get; private set; }

    public Guid? OrderId { get; private set; }

    public string Expected { get; private set; } = string.Empty;

    public string Found { get; private set; } = string.Empty;

    public string Message { get; private set; } = string.Empty;

    /// <summary>The ids this discrepancy is about, for logs and pages: <c>transaction 12, account 3</c>.</summary>
    public string Subjects => string.Join(", ", new[]
    {
        TransactionId is { } t ? $"transaction {t}" : null,
        EntryId is { } e ? $"entry {e}" : null,
        AccountId is { } a ? $"account {a}" : null,
        PaymentId is { } p ? $"payment {p}" : null,
        HoldId is { } h ? $"hold {h}" : null,
        OrderId is { } o ? $"order {o}" : null,
    }.Where(s => s is not null));

    public static ReconciliationDiscrepancy Create(
        string check,
        string expected,
        string found,
        string message,
        long? transactionId = null,
        long? entryId = null,
        long? accountId = null,
        Guid? paymentId = null,
        Guid? holdId = null,
        Guid? orderId = null) => new()
        {
            Check = check,
            Expected = expected,
            Found = found,
            Message = message,
            TransactionId = transactionId,
            EntryId = entryId,
            AccountId = accountId,
            PaymentId = paymentId,
            HoldId = holdId,
            OrderId = orderId,
        };
}
