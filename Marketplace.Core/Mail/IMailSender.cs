using MimeKit;

namespace Marketplace.Core.Mail;

/// <summary>The one seam mail leaves through: SMTP (MailKit) in production, .eml files in Development.</summary>
public interface IMailSender
{
    /// <summary>Delivers the message or throws; callers decide whether a failure matters to the user.</summary>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default);
}
