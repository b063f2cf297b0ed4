using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Core.Ledger;

/// <summary>One account's signed movement within a posting, in minor units.</summary>
public readonly record struct PostingLine(long AccountId, long AmountUnits);

/// <summary>What a caller asks the ledger to record: balanced lines under an idempotency key.</summary>
public sealed record Posting(string IdempotencyKey, TransactionKind Kind, string Description, IReadOnlyList<PostingLine> Lines, string? Metadata = null)
{
    public const int MaxKeyLength = 200;

    /// <summary>
    /// The largest movement one line may carry (10^15 units, 10 trillion MC): far above any money operation
    /// (<see cref="MarketplaceOptions.MaxAmount"/>) and small enough that a balance within <see cref="Account.MaxBalanceUnits"/>
    /// plus a line can never overflow 64 bits, in C# or in SQL.
    /// </summary>
    public const long MaxLineUnits = 1_000_000_000_000_000;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(IdempotencyKey) || IdempotencyKey.Length > MaxKeyLength)
        {
            throw new ArgumentException("A posting needs an idempotency key of at most 200 characters.");
        }

        if (Lines.Count < 2)
        {
            throw new ArgumentException("A posting needs at least two lines.");
        }

        if (Lines.Any(l => l.AmountUnits == 0))
        {
            throw new ArgumentException("A posting line cannot be zero.");
        }

        if (Lines.Any(l => l.AmountUnits is > MaxLineUnits or < -MaxLineUnits))
        {
            throw new ArgumentException($"A posting line moves at most {MaxLineUnits} units; callers bound amounts first.");
        }

        if (Lines.Select(l => l.AccountId).Distinct().Count() != Lines.Count)
        {
            throw new ArgumentException("A posting touches each account once.");
        }

        long sum = 0;
        foreach (var line in Lines)
        {
            sum = checked(sum + line.AmountUnits);
        }

        if (sum != 0)
        {
            throw new ArgumentException($"A posting must balance; its lines sum to {sum}.");
        }
    }

    /// <summary>Kind and lines, in account order; the description is presentation and may change.</summary>
    internal string ContentHash()
    {
        var text = new StringBuilder().Append((int)Kind);
        foreach (var line in Lines.OrderBy(l => l.AccountId))
        {
            text.Append('|').Append(line.AccountId.ToString(CultureInfo.InvariantCulture))
                .Append(':').Append(line.AmountUnits.ToString(CultureInfo.InvariantCulture));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>The expected outcomes of a posting; bugs (unbalanced lines, unknown accounts) throw instead.</summary>
public abstract record PostingResult
{
    private PostingResult()
    {
    }

    /// <summary>Recorded now, or <paramref name="Replayed"/> when the same key and content were recorded before.</summary>
    public sealed record Posted(LedgerTransaction Transaction, bool Replayed) : PostingResult;

    public sealed record InsufficientFunds(long AccountId) : PostingResult;

    /// <summary>The key was used before for different content.</summary>
    public sealed record KeyConflict(string IdempotencyKey) : PostingResult;

    /// <summary>A line would take an account past <see cref="Account.MaxBalanceUnits"/> either way; nothing changed.</summary>
    public sealed record LimitExceeded(long AccountId) : PostingResult;
}
