using System.Globalization;
using Marketplace.Core.Mail;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Marketplace.Core.Payments.BankTransfer;

/// <summary>
/// Mails a shopper what a bank transfer needs (issue 14, defect 5): the account details and the reference when it is
/// started, and the admin's decision (credited amount, or the rejection's reason) when it is made. Each is sent by the
/// one request that made the change (the one that created the payment; the one whose transition won), so a retry or a
/// double submit of a decision sends nothing again. Mail is sent after the money is committed and never fails it: a
/// refused message is logged, and the wallet's Payments list still shows everything the mail would have said.
/// </summary>
public sealed partial class BankTransferMail(MarketplaceDb db, IMailSender mail, MailOptions mailOptions, IServiceProvider services, ILogger<BankTransferMail> logger)
{
    public Task InstructionsAsync(Payment payment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        // Registered only when the bank details are configured, which starting a transfer already required.
        if (services.GetService<BankTransferOptions>() is not { } bank)
        {
            return Task.CompletedTask;
        }

        return SendAsync(payment, "instructions", $"Bank transfer {payment.ProviderReference}: how to pay", name => string.Create(CultureInfo.InvariantCulture, $"""
            Hello {name},

            To buy {payment.Credits.ToDisplayString()}, transfer {payment.Amount.ToDisplayString()} to:

            Bank: {bank.BankName}
            Account name: {bank.AccountName}
            Account number: {bank.AccountNumber}
            SWIFT/BIC: {bank.SwiftCode}
            Reference: {payment.ProviderReference}

            Write the reference on the transfer exactly as shown, so we can match it to you. The credits are added once an
            admin confirms the money arrived; this transfer is also listed under Payments in your wallet.
            """), cancellationToken);
    }

    public Task OutcomeAsync(BankDecisionResult.Decided decided, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decided);
        var payment = decided.Payment;
        return payment.Status == PaymentStatus.Succeeded
            ? SendAsync(payment, "confirmed", $"Bank transfer {payment.ProviderReference} arrived: credits added", name => string.Create(CultureInfo.InvariantCulture, $"""
                Hello {name},

                Your bank transfer {payment.ProviderReference} arrived: we received {decided.Received.ToDisplayString()} and added {payment.Credits.ToDisplayString()} to your wallet.
                """), cancellationToken)
            : SendAsync(payment, "rejected", $"Bank transfer {payment.ProviderReference} was rejected", name => string.Create(CultureInfo.InvariantCulture, $"""
                Hello {name},

                Your bank transfer {payment.ProviderReference} of {payment.Amount.ToDisplayString()} was rejected, and no credits were added.
                Reason: {payment.FailureReason ?? decided.Decision?.Note ?? "not given"}
                """), cancellationToken);
    }

    private async Task SendAsync(Payment payment, string kind, string subject, Func<string, string> text, CancellationToken cancellationToken)
    {
        try
        {
            var user = await db.Users.AsNoTracking().Where(u => u.Id == payment.UserId).Select(u => new { u.Email, u.DisplayName }).SingleAsync(cancellationToken);
            var message = new MimeMessage();
            message.From.Add(mailOptions.From);
            message.To.Add(new MailboxAddress(user.DisplayName, user.Email));
            message.Subject = subject;
            message.Body = new TextPart("plain") { Text = text(user.DisplayName) };
            await mail.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            MailFailed(logger, kind, payment.Id, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bank transfer {Kind} mail for payment {PaymentId} could not be sent; the wallet's Payments list still shows it.")]
    private static partial void MailFailed(ILogger logger, string kind, Guid paymentId, Exception exception);
}
