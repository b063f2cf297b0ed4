using MimeKit;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Mail;

/// <summary>
/// Where mail goes: an SMTP server when <c>SMTP_HOST</c> is set, otherwise <c>.eml</c> files in
/// <see cref="PickupDirectory"/> (the Development mailbox, listed at /dev/mail).
/// </summary>
public sealed record MailOptions(string? SmtpHost, int SmtpPort, string? Username, string? Password, MailboxAddress From, string PickupDirectory)
{
    public const int DefaultSmtpPort = 587;

    public bool UsesSmtp => SmtpHost is not null;

    public static MailOptions FromConfiguration(IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var host = ConfigurationValues.Text(configuration, "SMTP_HOST");
        var port = ConfigurationValues.PositiveInt(configuration, "SMTP_PORT", DefaultSmtpPort, max: 65535);
        var username = ConfigurationValues.Text(configuration, "SMTP_USERNAME");
        var password = configuration["SMTP_PASSWORD"] is { Length: > 0 } secret ? secret : null;
        if ((username is null) != (password is null))
        {
            throw new InvalidOperationException("Configuration 'SMTP_USERNAME' and 'SMTP_PASSWORD' go together: set both or neither.");
        }

        if (host is not null && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            throw ConfigurationValues.Invalid("SMTP_HOST", "a host name or IP address such as smtp.example.com");
        }

        var fromText = ConfigurationValues.Text(configuration, "SMTP_FROM");
        MailboxAddress from;
        if (fromText is null)
        {
            from = host is null
                ? new MailboxAddress("Marketplace", "no-reply@localhost")
                : throw new InvalidOperationException("Configuration 'SMTP_FROM' is required with SMTP_HOST: the sender address, e.g. Marketplace <no-reply@shop.example.com>.");
        }
        else if (!MailboxAddress.TryParse(fromText, out from!) || !from.Address.Contains('@', StringComparison.Ordinal))
        {
            throw ConfigurationValues.Invalid("SMTP_FROM", "a sender address such as Marketplace <no-reply@shop.example.com>");
        }

        return new MailOptions(host, port, username, password, from, Path.Combine(dataDirectory, "mail"));
    }

    public override string ToString() => UsesSmtp ? $"smtp://{SmtpHost}:{SmtpPort}" : $"pickup:{PickupDirectory}";
}
