using Marketplace.Core.Admin;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Core.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Core.Payments;

public abstract record InitiateResult
{
    private InitiateResult()
    {
    }

    public sealed record Started(Payment Payment, Uri PaymentUrl) : InitiateResult;

    public sealed record Invalid(string Code, string Field, string Message) : InitiateResult;

    /// <summary>The amount sent with a package is not the package's price (it changed since the client read it).</summary>
    public sealed record PriceMismatch(CreditPackage Package, Money Expected) : InitiateResult;

    /// <summary>The gateway could not start the payment; it was created and is now failed.</summary>
    public sealed record GatewayFailed(Payment Payment, string Code, string Message, bool Unavailable) : InitiateResult;
}

public abstract record CancelResult
{
    private CancelResult()
    {
    }

    public sealed record Cancelled(Payment Payment) : CancelResult;

    public sealed record NotFound : CancelResult;

    /// <summary>Not this way: only bank transfers are withdrawn through the API, and a checkout the gateway could not close (or that was paid meanwhile) stays open.</summary>
    public sealed record NotCancellable(Payment Payment) : CancelResult;

    /// <summary>Decided already (confirmed, rejected) or lapsed.</summary>
    public sealed record Closed(Payment Payment) : CancelResult;
}

public abstract record CompletionResult
{
    private CompletionResult()
    {
    }

    /// <summary>The payment is now (or already was) in its final state.</summary>
    public sealed record Completed(Payment Payment, bool AlreadyFinal) : CompletionResult;

    public sealed record NotFound : CompletionResult;
}

/// <summary>
/// More to a completion than the outcome: the amount that actually arrived (credits then follow it, not the
/// amount asked for) and what to record with it (an admin's decision and its audit entry), applied to the open
/// payment inside the completion's transaction. Neither is applied when the payment was already final.
/// </summary>
/// <param name="Collected">
/// A verified report that the money was taken (a paid Stripe session, ClickPesa's status API, an admin's "Credit anyway"):
/// only then does a success also apply to a payment already marked failed.
/// </param>
public sealed record CompletionDetails(Money? Received = null, Action<Payment>? RecordWithIt = null, bool Collected = false)
{
    public static readonly CompletionDetails MoneyCollected = new(Collected: true);
}

/// <summary>
/// What a shopper asks to buy: a custom <paramref name="Amount"/>, or the package <paramref name="PackageId"/> at its
/// price (an amount sent with a package must be that price), paid in <paramref name="Currency"/> through <paramref name="Gateway"/>.
/// </summary>
public sealed record TopUpRequest(string? Amount, string? Currency, string? Gateway, string? PackageId = null);

/// <summary>What a gateway said happened to a payment.</summary>
public enum PaymentOutcome
{
    Succeeded,
    Failed,
    Expired,
    Cancelled,
}

/// <summary>Starting top-ups, and the single place a payment is completed and its credits posted.</summary>
public sealed partial class PaymentService(
    MarketplaceDb db,
    LedgerService ledger,
    IEnumerable<IPaymentGateway> gateways,
    MarketplaceOptions options,
    TimeProvider clock,
    AuditLog? audit = null,
    ILogger<PaymentService>? logger = null,
    CreditPackageOptions? packages = null,
    BankTransfer.BankTransferMail? bankMail = null)
{
    public IReadOnlyList<IPaymentGateway> Gateways { get; } = gateways.ToList();

    /// <summary>The configured top-up packages, in the order they are offered.</summary>
    public IReadOnlyList<CreditPackage> Packages => (packages ?? CreditPackageOptions.None).All;

    public Task<InitiateResult> InitiateAsync(Guid userId, string? amountText, string? currencyCode, string? gatewayName, Uri siteOrigin, CancellationToken cancellationToken = default) =>
        InitiateAsync(userId, new TopUpRequest(amountText, currencyCode, gatewayName), siteOrigin, cancellationToken);

    public async Task<InitiateResult> InitiateAsync(Guid userId, TopUpRequest request, Uri siteOrigin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Gateways.Find(request.Gateway) is not { } gateway)
        {
            return new InitiateResult.Invalid("unknown_gateway", "gateway", $"Payment method must be one of: {string.Join(", ", Gateways.Select(g => g.Name))}.");
        }

        CreditPackage? package = null;
        if (request.PackageId is not null)
        {
            package = (packages ?? CreditPackageOptions.None).Find(request.PackageId);
            if (package is null)
            {
                return new InitiateResult.Invalid("unknown_package", "package_id", Packages.Count == 0
                    ? "No top-up packages are offered; buy a custom amount instead."
                    : $"There is no package with that id; the packages are: {string.Join(", ", Packages.Select(p => p.Id))}.");
            }

            if (!gateway.SellsPackages)
            {
                return new InitiateResult.Invalid("package_not_offered", "gateway", $"Packages are not sold by {gateway.DisplayName}: what it credits follows the amount that arrives, not a fixed price. Choose another payment method, or buy a custom amount.");
            }
        }

        if (!Currency.TryFind(request.Currency, out var currency) || !options.CreditPrices.Supports(currency) || !gateway.Supports(currency))
        {
            return new InitiateResult.Invalid("unsupported_currency", "currency", $"{gateway.DisplayName} does not take that currency.");
        }

        var price = package?.PriceIn(currency);
        if (package is not null && price is null)
        {
            return new InitiateResult.Invalid("unsupported_currency", "currency", $"The {package.Name} package is not sold in {currency.Code}; it is sold in {string.Join(", ", package.Prices.Select(p => p.Currency.Code))}.");
        }

        // With a package the amount is optional; if sent it must be the price, so a client never pays one it did not show.
        Money amount = default;
        if (package is null || request.Amount is not null)
        {
            switch (Money.TryParse(request.Amount, currency, out amount))
            {
                case AmountParse.Ok when amount.Minor > 0:
                    break;
                case AmountParse.TooPrecise:
                    return new InitiateResult.Invalid("amount_too_precise", "amount", $"{currency.Code} amounts have at most {currency.Decimals} decimal places.");
                case AmountParse.Negative or AmountParse.Ok:
                    return new InitiateResult.Invalid("amount_not_positive", "amount", "Amount must be more than zero.");
                default:
                    return new InitiateResult.Invalid("invalid_amount", "amount", "Amount must be a decimal number such as 25.00.");
            }
        }

        if (package is not null && price is { } packagePrice)
        {
            if (request.Amount is not null && amount != packagePrice)
            {
                return new InitiateResult.PriceMismatch(package, packagePrice);
            }

            amount = packagePrice;
        }

        var credits = package?.Credits ?? options.CreditPrices.ToCredits(amount);
        if (CheckCredits(package?.Total ?? credits, options.MaxAmount) is { } tooSmallOrLarge)
        {
            return tooSmallOrLarge;
        }

        if (gateway.Refuse(amount, credits) is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var payment = package is null
            ? Payment.Create(Guid.NewGuid(), userId, gateway.Name, amount, credits, now)
            : Payment.ForPackage(Guid.NewGuid(), userId, gateway.Name, package, amount, now);
        // Counting and inserting in one write transaction (SQLite: BEGIN IMMEDIATE), so concurrent requests cannot all
        // pass a count that only one of them fits under.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // PostgreSQL: the user's row lock is what serialises the count there.
            await DatabaseProvider.LockRowAsync<Identity.User>(db, userId, cancellationToken);
            if (await TooManyOpenAsync(userId, gateway.Name, cancellationToken) is { } tooMany)
            {
                return tooMany;
            }

            db.Payments.Add(payment);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var started = await gateway.StartAsync(payment, siteOrigin, cancellationToken);
        var startedAt = clock.GetUtcNow().UtcDateTime;
        switch (started)
        {
            case StartResult.Redirect { CheckoutUrl: var url, ProviderReference: var reference }:
                payment.MarkPending(reference, startedAt);
                await db.SaveChangesAsync(cancellationToken);
                return new InitiateResult.Started(payment, url);
            case StartResult.Instructions { Page: var page, ProviderReference: var reference }:
                payment.MarkPending(reference, startedAt);
                // Only this request created the payment, so the instructions are queued once, in the one SaveChanges
                // (one transaction) that gives the payment the reference they tell the shopper to write.
                var mailed = bankMail is not null && gateway.Name == BankTransfer.BankTransferGateway.GatewayName;
                if (mailed)
                {
                    bankMail!.QueueInstructions(payment, await bankMail.RecipientAsync(userId, cancellationToken));
                }

                await db.SaveChangesAsync(cancellationToken);
                if (mailed)
                {
                    bankMail!.SendSoon();
                }

                return new InitiateResult.Started(payment, page);
            case StartResult.Failed failed:
                payment.MarkFailed($"{gateway.DisplayName} could not start the payment.", startedAt);
                await db.SaveChangesAsync(CancellationToken.None);
                return new InitiateResult.GatewayFailed(payment, failed.Code, failed.Message, failed.Unavailable);
            default:
                throw new InvalidOperationException($"Unexpected {started}.");
        }
    }

    /// <summary>
    /// A shopper withdraws their own open bank transfer (the only kind they can: the other gateways' checkouts are
    /// at the gateway, and lapse there). Anyone else's payment is <see cref="CancelResult.NotFound"/>.
    /// </summary>
    public async Task<CancelResult> CancelAsync(Guid paymentId, Guid userId, CancellationToken cancellationToken = default)
    {
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId && p.UserId == userId, cancellationToken);
        if (payment is null)
        {
            return new CancelResult.NotFound();
        }

        if (payment.Gateway != BankTransfer.BankTransferGateway.GatewayName)
        {
            return new CancelResult.NotCancellable(payment);
        }

        return await CompleteAsync(paymentId, PaymentOutcome.Cancelled, "Cancelled by the shopper.", cancellationToken) switch
        {
            CompletionResult.Completed { AlreadyFinal: false, Payment: var cancelled } => new CancelResult.Cancelled(cancelled),
            CompletionResult.Completed { Payment: { Status: PaymentStatus.Cancelled } cancelled } => new CancelResult.Cancelled(cancelled),
            CompletionResult.Completed { Payment: var closed } => new CancelResult.Closed(closed),
            _ => new CancelResult.NotFound(),
        };
    }

    /// <summary>
    /// The shopper came back through the gateway's cancel link (Stripe's cancel URL): the checkout is closed at the gateway
    /// first, so it can no longer be paid, and only then is the payment cancelled. Idempotent: an already cancelled
    /// payment answers <see cref="CancelResult.Cancelled"/> again; one that was paid meanwhile, or that the gateway
    /// cannot close now, stays open for its events and the expiry job (<see cref="CancelResult.Closed"/> or
    /// <see cref="CancelResult.NotCancellable"/>). Only the owner's payments, and only gateways whose checkouts lapse.
    /// </summary>
    public async Task<CancelResult> AbandonCheckoutAsync(Guid paymentId, Guid userId, CancellationToken cancellationToken = default)
    {
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId && p.UserId == userId, cancellationToken);
        if (payment is null)
        {
            return new CancelResult.NotFound();
        }

        if (payment.Status == PaymentStatus.Cancelled)
        {
            return new CancelResult.Cancelled(payment);
        }

        if (payment.IsFinal)
        {
            return new CancelResult.Closed(payment);
        }

        if (Gateways.Find(payment.Gateway) is not { ExpiresByAge: true } gateway
            || await gateway.CloseAsync(payment, cancellationToken) != CheckoutClosing.Closed)
        {
            return new CancelResult.NotCancellable(payment);
        }

        return await CompleteAsync(paymentId, PaymentOutcome.Cancelled, "Cancelled at the checkout.", cancellationToken) switch
        {
            CompletionResult.Completed { Payment: { Status: PaymentStatus.Cancelled } cancelled } => new CancelResult.Cancelled(cancelled),
            CompletionResult.Completed { Payment: var closed } => new CancelResult.Closed(closed),
            _ => new CancelResult.NotFound(),
        };
    }

    /// <summary>The user's own payments, newest first, whatever their state (the wallet's Payments list, issue 14 defect 5).</summary>
    public async Task<IReadOnlyList<Payment>> RecentForAsync(Guid userId, int limit, CancellationToken cancellationToken = default)
    {
        var payments = new List<Payment>();
        await foreach (var payment in RecentPayments.For(db)(db, userId, Math.Clamp(limit, 1, 100)).WithCancellation(cancellationToken))
        {
            payments.Add(payment);
        }

        return payments;
    }

    // Compiled: the wallet page lists these on every view (issue 16).
    private static readonly CompiledPerModel<Func<MarketplaceDb, Guid, int, IAsyncEnumerable<Payment>>> RecentPayments = new(() => EF.CompileAsyncQuery(
        (MarketplaceDb db, Guid userId, int take) => db.Payments.AsNoTracking()
            .Where(p => p.UserId == userId)
            .OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Take(take)));

    /// <summary>The owner's payment, or any payment for an admin; null otherwise (callers answer 404 either way).</summary>
    public Task<Payment?> FindForAsync(Guid paymentId, Guid userId, bool isAdmin, CancellationToken cancellationToken = default) =>
        db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId && (isAdmin || p.UserId == userId), cancellationToken);

    /// <summary>
    /// Applies a gateway's verdict once: on success the credits are posted under
    /// <c>topup:&lt;payment id&gt;</c>, and a package's bonus under <c>bonus:&lt;payment id&gt;</c>, in the same
    /// transaction as the state change, so however many times and in whatever order the verdict arrives, the credits
    /// and the bonus are granted exactly once. The one way out of
    /// a final state: success after expiry (the gateway took the money late; see <see cref="Payment.MarkSucceeded"/>).
    /// </summary>
    public Task<CompletionResult> CompleteAsync(Guid paymentId, PaymentOutcome outcome, string? reason = null, CancellationToken cancellationToken = default) =>
        CompleteAsync(paymentId, outcome, reason, new CompletionDetails(), cancellationToken);

    /// <inheritdoc cref="CompleteAsync(Guid, PaymentOutcome, string?, CancellationToken)"/>
    public async Task<CompletionResult> CompleteAsync(Guid paymentId, PaymentOutcome outcome, string? reason, CompletionDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Concurrent verdicts (webhooks, the expiry sweep, an admin) read the state one after another, as on SQLite.
        await DatabaseProvider.LockRowAsync<Payment>(db, paymentId, cancellationToken);
        var payment = await db.Payments.SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is null)
        {
            return new CompletionResult.NotFound();
        }

        var lateSuccess = outcome == PaymentOutcome.Succeeded
            && (payment.Status == PaymentStatus.Expired || (payment.Status == PaymentStatus.Failed && details.Collected));
        var wasStatus = payment.Status;
        if (payment.IsFinal && !lateSuccess)
        {
            await transaction.CommitAsync(cancellationToken);
            return new CompletionResult.Completed(payment, AlreadyFinal: true);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (details.Received is { } received && outcome == PaymentOutcome.Succeeded && !lateSuccess
            && !payment.SettleFor(received, options.CreditPrices.ToCredits(received), now))
        {
            throw new InvalidOperationException($"Payment {payment.Id} cannot be credited for {received}; callers check the received amount first.");
        }

        details.RecordWithIt?.Invoke(payment);
        switch (outcome)
        {
            case PaymentOutcome.Succeeded:
                var accounts = await ledger.UserAccountsAsync(payment.UserId, cancellationToken);
                var clearing = await ledger.AccountIdAsync(AccountCodes.Clearing(payment.Gateway), cancellationToken);
                var units = payment.CreditsUnits;
                var paid = (lateSuccess ? payment.Amount : details.Received ?? payment.Amount).ToDisplayString();
                var posted = await ledger.PostAsync(
                    new Posting(TopUpKey(payment.Id), TransactionKind.TopUp, $"Top-up {paid} ({payment.Gateway}){(payment.PackageName is { } name ? $", {name} package" : string.Empty)}", [new(clearing, -units), new(accounts.AvailableId, units)]),
                    cancellationToken);
                if (posted is not PostingResult.Posted { Transaction: var topUp })
                {
                    throw new InvalidOperationException($"Top-up for payment {payment.Id} could not be posted: {posted}.");
                }

                if (payment.Bonus.Units > 0)
                {
                    // Granted, not bought: from promotions, so reports tell bonus credits from paid ones.
                    var promotions = await ledger.AccountIdAsync(AccountCodes.Promotions, cancellationToken);
                    var bonus = await ledger.PostAsync(
                        new Posting(BonusKey(payment.Id), TransactionKind.BonusGrant, BonusDescription(payment), [new(promotions, -payment.Bonus.Units), new(accounts.AvailableId, payment.Bonus.Units)]),
                        cancellationToken);
                    if (bonus is not PostingResult.Posted)
                    {
                        throw new InvalidOperationException($"The bonus for payment {payment.Id} could not be posted: {bonus}.");
                    }
                }

                payment.MarkSucceeded(topUp.Id, now);
                if (lateSuccess)
                {
                    RecordLateSuccess(payment, wasStatus);
                }

                break;
            case PaymentOutcome.Failed:
                payment.MarkFailed(reason ?? "The payment was declined.", now);
                break;
            case PaymentOutcome.Expired:
                payment.MarkExpired(now);
                break;
            case PaymentOutcome.Cancelled:
                payment.MarkCancelled(reason ?? "The payment was cancelled.", now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CompletionResult.Completed(payment, AlreadyFinal: false);
    }

    public static string TopUpKey(Guid paymentId) => $"topup:{paymentId:N}";

    public static string BonusKey(Guid paymentId) => $"bonus:{paymentId:N}";

    /// <summary>How the bonus reads in history and statements: "Bonus 10 % on Popular".</summary>
    public static string BonusDescription(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return $"Bonus {MarketplaceOptions.FormatPercent(payment.BonusBasisPoints ?? 0)} on {payment.PackageName}";
    }

    private async Task<InitiateResult.Invalid?> TooManyOpenAsync(Guid userId, string gateway, CancellationToken cancellationToken)
    {
        var open = await db.Payments
            .Where(p => p.UserId == userId && (p.Status == PaymentStatus.Created || p.Status == PaymentStatus.Pending))
            .GroupBy(p => p.Gateway == BankTransfer.BankTransferGateway.GatewayName)
            .Select(g => new { Bank = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var total = open.Sum(o => o.Count);
        var bank = open.Where(o => o.Bank).Sum(o => o.Count);
        if (gateway == BankTransfer.BankTransferGateway.GatewayName && bank >= options.MaxOpenBankTransfers)
        {
            return new InitiateResult.Invalid("too_many_open_payments", "gateway", $"You have {bank} bank transfers waiting for the money to arrive; at most {options.MaxOpenBankTransfers} can be open at once. Cancel one you will not send, or wait until one is confirmed.");
        }

        return total >= options.MaxOpenPayments
            ? new InitiateResult.Invalid("too_many_open_payments", "gateway", $"You have {total} payments not finished yet; at most {options.MaxOpenPayments} can be open at once. Finish or cancel one first.")
            : null;
    }

    /// <summary>A payment marked failed or expired that is credited after all: a warning in the log, and an audit entry for admins.</summary>
    private void RecordLateSuccess(Payment payment, PaymentStatus wasStatus)
    {
        var was = WireName.Of(wasStatus);
        if (logger is not null)
        {
            LogLateSuccess(logger, payment.Id, payment.Gateway, was, payment.Credits.ToDisplayString());
        }

        audit?.Add(
            AuditLog.System,
            "payment.credited_after_" + was,
            $"payment:{payment.Id}",
            $"The gateway ({payment.Gateway}) reported the money collected after the payment was marked {was}; it was credited.",
            new { previous_status = was, gateway = payment.Gateway, credits = payment.Credits.ToDecimalString(), amount = payment.Amount.ToDecimalString(), currency = payment.Currency });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId} ({Gateway}) was {PreviousStatus}, but the money was collected: credited {Credits} now")]
    private static partial void LogLateSuccess(ILogger logger, Guid paymentId, string gateway, string previousStatus, string credits);

    /// <summary>The bounds every top-up's credits stay within, whether asked for or received.</summary>
    public static InitiateResult.Invalid? CheckCredits(Credits credits, Credits max)
    {
        if (credits.Units <= 0)
        {
            return new InitiateResult.Invalid("amount_too_small", "amount", "That amount buys less than 0.01 MC.");
        }

        return credits > max
            ? new InitiateResult.Invalid("amount_too_large", "amount", $"A single top-up buys at most {max.ToDisplayString()} (or the same value in the paying currency).")
            : null;
    }
}
