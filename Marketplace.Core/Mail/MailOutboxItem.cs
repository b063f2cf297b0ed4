namespace Marketplace.Core.Mail;

public enum MailOutboxStatus
{
    /// <summary>Waiting to be sent: the first try, or a retry once <see cref="MailOutboxItem.NextAttemptAt"/> is due.</summary>
    Pending = 1,

    /// <summary>Claimed by a job run until <see cref="MailOutboxItem.NextAttemptAt"/>; a run that died is taken over after that.</summary>
    Sending = 2,

    /// <summary>Handed to the mail server (or written to the pickup folder); never sent again.</summary>
    Sent = 3,

    /// <summary>Given up on after <see cref="MailOutbox.GiveUpAfter"/> of failures; logged as an error and listed for admins.</summary>
    Failed = 4,
}

/// <summary>
/// One message waiting to leave (or that left): written in the same transaction as the change it reports, so a committed
/// change always has its mail queued and a rolled-back one never does. Sent later by <see cref="MailOutbox"/>'s sender.
/// </summary>
public sealed class MailOutboxItem
{
    public const int MaxKindLength = 40;
    public const int MaxAboutLength = 100;
    public const int MaxAddressLength = 320;
    public const int MaxNameLength = 200;
    public const int MaxSubjectLength = 500;
    public const int MaxErrorLength = 2000;
    public const int MaxInstanceIdLength = 100;

    private MailOutboxItem()
    {
    }

    /// <summary>Also the message's Message-Id (<see cref="MailOutbox.MessageIdFor"/>), so a mail sent twice can be recognised.</summary>
    public Guid Id { get; private set; }

    /// <summary>What the mail is (<c>bank_transfer.instructions</c>, <c>bank_transfer.confirmed</c>, …).</summary>
    public string Kind { get; private set; } = string.Empty;

    /// <summary>What it reports on, as the audit log names subjects (<c>payment:&lt;id&gt;</c>).</summary>
    public string? About { get; private set; }

    public string ToAddress { get; private set; } = string.Empty;

    public string ToName { get; private set; } = string.Empty;

    public string Subject { get; private set; } = string.Empty;

    /// <summary>The plain-text body, complete: the message is fixed when the change is made, not when it is sent.</summary>
    public string TextBody { get; private set; } = string.Empty;

    public MailOutboxStatus Status { get; private set; }

    /// <summary>How many times a job run has claimed it; also the fencing token of the latest claim.</summary>
    public int Attempts { get; private set; }

    /// <summary>Pending: when it may be sent next. Sending: when the claim lapses.</summary>
    public DateTime NextAttemptAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The app instance (<c>Webhooks:InstanceId</c>) whose job run claimed it last.</summary>
    public string? ClaimedBy { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? SentAt { get; private set; }

    public static MailOutboxItem Queue(string kind, string? about, string toAddress, string toName, string subject, string textBody, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(toAddress);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(textBody);
        return new MailOutboxItem
        {
            Id = Guid.NewGuid(),
            Kind = Truncate(kind, MaxKindLength),
            About = about is null ? null : Truncate(about, MaxAboutLength),
            ToAddress = toAddress,
            ToName = Truncate(toName ?? string.Empty, MaxNameLength),
            Subject = Truncate(subject, MaxSubjectLength),
            TextBody = textBody,
            Status = MailOutboxStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
    }

    internal static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
