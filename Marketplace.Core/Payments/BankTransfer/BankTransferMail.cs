using System.Globalization;
using Marketplace.Core.Mail;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Marketplace.Core.Payments.BankTransfer;

/// <summary>
/// Mails a shopper what a bank transfer needs (issue 14, defect 5): the account details and the reference when it is
/// started, and the admin's decision (credited amount, or the rejection's reason) when it is made. Each message is put
/// into the <see cref="MailOutbox"/> by the one request that made the change (the one that gave the payment its
/// reference; the one whose transition won), inside that change's transaction, so a committed change always has its mail
/// queued, a rolled-back one never does, and a retry or a double submit queues nothing again. An SMTP failure only
/// delays the mail: the outbox job retries it.
/// </summary>
public sealed class BankTransferMail(MarketplaceDb db, MailOutbox outbox, IMailOutboxTrigger trigger, IServiceProvider services)
{
    public const string InstructionsKind = "bank_transfer.instructions";
    public const string ConfirmedKind = "bank_transfer.confirmed";
    public const string RejectedKind = "bank_transfer.rejected";

    /// <summary>Who the mails about <paramref name="userId"/>'s transfers go to; read before the transaction that queues them.</summary>
    public async Task<MailboxAddress> RecipientAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Email, u.DisplayName }).SingleAsync(cancellationToken);
        return new MailboxAddress(user.DisplayName, user.Email);
    }

    /// <summary>Queues the account details and the reference; written by the caller's SaveChanges with the reference itself.</summary>
    public void QueueInstructions(Payment payment, MailboxAddress to)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(to);
        // Registered only when the bank details are configured, which starting a transfer already required.
        if (services.GetService<BankTransferOptions>() is not { } bank)
        {
            return;
        }

        outbox.Queue(InstructionsKind, Subject(payment), to, $"Bank transfer {payment.ProviderReference}: how to pay", string.Create(CultureInfo.InvariantCulture, $"""
            Hello {to.Name},

            To buy {payment.Credits.ToDisplayString()}, transfer {payment.Amount.ToDisplayString()} to:

            Bank: {bank.BankName}
            Account name: {bank.AccountName}
            Account number: {bank.AccountNumber}
            SWIFT/BIC: {bank.SwiftCode}
            Reference: {payment.ProviderReference}

            Write the reference on the transfer exactly as shown, so we can match it to you. The credits are added once an
            admin confirms the money arrived; this transfer is also listed under Payments in your wallet.
            """));
    }

    /// <summary>Queues the confirmation, inside the completion's transaction (the payment is settled for <paramref name="received"/> already).</summary>
    public void QueueConfirmed(Payment payment, Money received, MailboxAddress to)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(to);
        outbox.Queue(ConfirmedKind, Subject(payment), to, $"Bank transfer {payment.ProviderReference} arrived: credits added", string.Create(CultureInfo.InvariantCulture, $"""
            Hello {to.Name},

            Your bank transfer {payment.ProviderReference} arrived: we received {received.ToDisplayString()} and added {payment.Credits.ToDisplayString()} to your wallet.
            """));
    }

    /// <summary>Queues the rejection and its reason, inside the completion's transaction.</summary>
    public void QueueRejected(Payment payment, string reason, MailboxAddress to)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(to);
        outbox.Queue(RejectedKind, Subject(payment), to, $"Bank transfer {payment.ProviderReference} was rejected", string.Create(CultureInfo.InvariantCulture, $"""
            Hello {to.Name},

            Your bank transfer {payment.ProviderReference} of {payment.Amount.ToDisplayString()} was rejected, and no credits were added.
            Reason: {reason}
            """));
    }

    /// <summary>After the commit that queued a message: send it now rather than at the next sweep.</summary>
    public void SendSoon() => trigger.RequestRun();

    /// <summary>What the outbox rows of a payment's mails are about (the audit log's subject for it).</summary>
    public static string Subject(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return $"payment:{payment.Id}";
    }
}
