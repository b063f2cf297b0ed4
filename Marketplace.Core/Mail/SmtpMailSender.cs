using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Marketplace.Core.Mail;

/// <summary>
/// Sends through SMTP with MailKit: TLS from the start on port 465, STARTTLS wherever the server offers it
/// elsewhere. Credentials never travel over a plain connection, except to a server on this machine.
/// </summary>
public sealed class SmtpMailSender(MailOptions options) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var host = options.SmtpHost ?? throw new InvalidOperationException("SMTP_HOST is not set.");
        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(host, options.SmtpPort, SecureSocketOptions.Auto, cancellationToken);
        try
        {
            if (options.Username is not null)
            {
                if (!client.IsSecure && !IsLoopback(host))
                {
                    throw new InvalidOperationException($"The SMTP server {host}:{options.SmtpPort} offered no TLS; the SMTP password is not sent over a plain connection.");
                }

                await client.AuthenticateAsync(options.Username, options.Password ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
        }
        finally
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
