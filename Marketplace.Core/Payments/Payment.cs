namespace Marketplace.Core.Payments;

public enum PaymentStatus
{
    Created = 1,
    Pending = 2,
    Succeeded = 3,
    Failed = 4,
    Expired = 5,
    Cancelled = 6,
    Refunded = 7,
}

/// <summary>A top-up through a gateway. Transitions are methods; only legal ones succeed.</summary>
public sealed class Payment
{
    private Payment()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string Gateway { get; private set; } = string.Empty;

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; } = string.Empty;

    public long CreditsUnits { get; private set; }

    public PaymentStatus Status { get; private set; }

    /// <summary>The gateway's id for this payment (Stripe session id, ClickPesa order reference, bank reference).</summary>
    public string? ProviderReference { get; private set; }

    public string? FailureReason { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    /// <summary>Set once the top-up is in the ledger.</summary>
    public long? LedgerTransactionId { get; private set; }

    /// <summary>The package bought, as it was when the payment was created (null for a custom amount).</summary>
    public string? PackageId { get; private set; }

    public string? PackageName { get; private set; }

    /// <summary>The package's bonus rate when the payment was created, in basis points (1000 = 10 %).</summary>
    public int? BonusBasisPoints { get; private set; }

    /// <summary>The bonus granted with the credits on success (<c>bonus:&lt;payment id&gt;</c>); null for a custom amount.</summary>
    public long? BonusUnits { get; private set; }

    public Money Amount => new(AmountMinor, Core.Currency.Find(Currency));

    public Credits Credits => new(CreditsUnits);

    public Credits Bonus => new(BonusUnits ?? 0);

    public bool IsPackage => PackageId is not null;

    /// <summary>
    /// What the payment buys, as a hosted checkout names it: "25.00 MC marketplace credits", or for a package
    /// "Popular package: 500.00 MC + 50.00 MC bonus".
    /// </summary>
    public string WhatItBuys => PackageName is not { } name ? $"{Credits.ToDisplayString()} marketplace credits"
        : Bonus.Units > 0 ? $"{name} package: {Credits.ToDisplayString()} + {Bonus.ToDisplayString()} bonus"
        : $"{name} package: {Credits.ToDisplayString()}";

    public bool IsFinal => Status is not (PaymentStatus.Created or PaymentStatus.Pending);

    /// <summary>Whether a gateway's "paid" may still be applied (see <see cref="MarkSucceeded"/>).</summary>
    public bool CanSucceed => Status is PaymentStatus.Created or PaymentStatus.Pending or PaymentStatus.Expired or PaymentStatus.Failed;

    public static Payment Create(Guid id, Guid userId, string gateway, Money amount, Credits credits, DateTime now) => new()
    {
        Id = id,
        UserId = userId,
        Gateway = gateway,
        AmountMinor = amount.Minor,
        Currency = amount.Currency.Code,
        CreditsUnits = credits.Units,
        Status = PaymentStatus.Created,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>A payment for <paramref name="package"/> at its <paramref name="price"/>: its credits, bonus and name are copied now.</summary>
    public static Payment ForPackage(Guid id, Guid userId, string gateway, CreditPackage package, Money price, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(package);
        var payment = Create(id, userId, gateway, price, package.Credits, now);
        payment.PackageId = package.Id;
        payment.PackageName = package.Name;
        payment.BonusBasisPoints = package.BonusBasisPoints;
        payment.BonusUnits = package.Bonus.Units;
        return payment;
    }

    public bool MarkPending(string providerReference, DateTime now)
    {
        if (Status is not (PaymentStatus.Created or PaymentStatus.Pending))
        {
            return false;
        }

        Status = PaymentStatus.Pending;
        ProviderReference = providerReference;
        UpdatedAt = now;
        return true;
    }

    /// <summary>
    /// Open payments succeed; so does an <em>expired</em> or <em>failed</em> one, deliberately: a gateway can take the
    /// money after our expiry (Stripe's <c>completed</c> arriving after its <c>expired</c>) or after a failed attempt
    /// (ClickPesa: a second attempt at the same order is paid), and money taken must become credits.
    /// <see cref="PaymentService.CompleteAsync(Guid, PaymentOutcome, string?, CompletionDetails, CancellationToken)"/>
    /// allows the failed case only for a verified report that the money was collected. Cancelled and succeeded payments
    /// never (re)succeed.
    /// </summary>
    public bool MarkSucceeded(long ledgerTransactionId, DateTime now)
    {
        if (!CanSucceed)
        {
            return false;
        }

        Status = PaymentStatus.Succeeded;
        LedgerTransactionId = ledgerTransactionId;
        FailureReason = null;
        CompletedAt = now;
        UpdatedAt = now;
        return true;
    }

    /// <summary>
    /// Credits follow the amount that actually arrived (a bank transfer confirmed for less or more); only while the
    /// payment is still open. A package's credits and bonus come with its price, never from a rate, so a package
    /// settles only for exactly that price and keeps them.
    /// </summary>
    public bool SettleFor(Money received, Credits credits, DateTime now)
    {
        if (IsFinal || received.Currency.Code != Currency || received.Minor <= 0 || credits.Units <= 0)
        {
            return false;
        }

        if (IsPackage)
        {
            return received == Amount;
        }

        CreditsUnits = credits.Units;
        UpdatedAt = now;
        return true;
    }

    public bool MarkFailed(string reason, DateTime now) => Finish(PaymentStatus.Failed, reason, now);

    public bool MarkExpired(DateTime now) => Finish(PaymentStatus.Expired, "The payment was not completed in time.", now);

    public bool MarkCancelled(string reason, DateTime now) => Finish(PaymentStatus.Cancelled, reason, now);

    private bool Finish(PaymentStatus status, string reason, DateTime now)
    {
        if (Status is not (PaymentStatus.Created or PaymentStatus.Pending))
        {
            return false;
        }

        Status = status;
        FailureReason = reason;
        CompletedAt = now;
        UpdatedAt = now;
        return true;
    }
}
