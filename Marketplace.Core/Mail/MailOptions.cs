using Marketplace.Core.Settings;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace Marketplace.Core.Mail;

/// <summary>
/// Where mail goes: an SMTP server when <c>SMTP_HOST</c> is set, otherwise <c>.eml</c> files in the data directory's
/// <c>mail</c> folder (<see cref="PickupDirectoryMailSender"/>; the Development mailbox, listed at /dev/mail).
/// </summary>
public sealed class MailOptions : ISettings<MailOptions>
{
    public const int DefaultSmtpPort = 587;

    private static readonly MailboxAddress LocalSender = new("Marketplace", "no-reply@localhost");

    private MailboxAddress? _from;

    public static string Section => string.Empty;

    [ConfigurationKeyName("SMTP_HOST")]
    public string? SmtpHost { get; init; }

    [ConfigurationKeyName("SMTP_PORT")]
    public int SmtpPort { get; init; } = DefaultSmtpPort;

    [ConfigurationKeyName("SMTP_USERNAME")]
    public string? Username { get; init; }

    [ConfigurationKeyName("SMTP_PASSWORD")]
    [Verbatim]
    public string? Password { get; init; }

    /// <summary>The sender as configured, e.g. <c>Marketplace &lt;no-reply@shop.example.com&gt;</c>; required with SMTP_HOST.</summary>
    [ConfigurationKeyName("SMTP_FROM")]
    public string? Sender { get; init; }

    /// <summary>Parsed from <see cref="Sender"/> when the settings are validated.</summary>
    public MailboxAddress From => _from ?? LocalSender;

    public bool UsesSmtp => SmtpHost is not null;

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.WholeNumber(nameof(SmtpPort), SmtpPort, 1, 65535);
        if ((Username is null) != (Password is null))
        {
            check.Fail(check.Key(nameof(Username)), $"and '{SettingName.Of(check.Key(nameof(Password)))}' go together: set both or neither.");
        }

        if (SmtpHost is not null && Uri.CheckHostName(SmtpHost) == UriHostNameType.Unknown)
        {
            check.Invalid(check.Key(nameof(SmtpHost)), "a host name or IP address such as smtp.example.com");
        }

        if (Sender is null)
        {
            if (SmtpHost is not null)
            {
                check.Fail(check.Key(nameof(Sender)), "is required with SMTP_HOST: the sender address, e.g. Marketplace <no-reply@shop.example.com>.");
            }
        }
        else if (MailboxAddress.TryParse(Sender, out var from) && from.Address.Contains('@', StringComparison.Ordinal))
        {
            _from = from;
        }
        else
        {
            check.Invalid(check.Key(nameof(Sender)), "a sender address such as Marketplace <no-reply@shop.example.com>");
        }
    }

    public override string ToString() => UsesSmtp ? $"smtp://{SmtpHost}:{SmtpPort}" : "pickup";
}
