using System.Globalization;
using MimeKit;

namespace Marketplace.Core.Mail;

/// <summary>The messages the product sends about an account. Plain text: links are the only thing in them a user acts on.</summary>
public sealed class AccountMail(MailOptions options)
{
    public MimeMessage Verification(string email, string displayName, Uri link, DateTime expiresAt) =>
        Message(email, displayName, "Confirm your email address for Marketplace", string.Create(CultureInfo.InvariantCulture, $"""
            Hello {displayName},

            Please confirm that this is your email address by opening this link:

            {link}

            The link works once and until {expiresAt:yyyy-MM-dd HH:mm} UTC. Until you confirm, other people cannot send you credits.
            If you did not create a Marketplace account, ignore this message.
            """));

    public MimeMessage RecoveryNotice(string email, string displayName, DateTime at, string ipAddress) =>
        Message(email, displayName, "Your Marketplace account was recovered on a new device", string.Create(CultureInfo.InvariantCulture, $"""
            Hello {displayName},

            On {at:yyyy-MM-dd HH:mm} UTC your recovery code was used{(string.IsNullOrEmpty(ipAddress) ? string.Empty : $" from {ipAddress}")} to set up a new key for your account.
            Every browser that was signed in has been signed out, and the old key no longer works. The recovery code
            is used up; the new device was asked to save a new one.

            If this was not you, someone has your recovery code: contact support at once.
            """));

    private MimeMessage Message(string email, string displayName, string subject, string text)
    {
        var message = new MimeMessage();
        message.From.Add(options.From);
        message.To.Add(new MailboxAddress(displayName, email));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }
}
