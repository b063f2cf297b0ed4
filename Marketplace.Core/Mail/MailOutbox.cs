using Marketplace.Core.Persistence;
using MimeKit;

namespace Marketplace.Core.Mail;

/// <summary>
/// Queues mail in the caller's unit of work: the row is only added to the context, so it is written by the caller's
/// SaveChanges, in the same transaction as the change it reports, and rolled back with it. After the commit the caller
/// asks for a send (<see cref="IMailOutboxTrigger"/>); <see cref="MailOutboxSender"/> delivers it with retries.
/// </summary>
public sealed class MailOutbox(MarketplaceDb db, TimeProvider clock)
{
    /// <summary>Waits after the 1st, 2nd and 3rd failed attempt; every later one waits <see cref="LastBackoff"/>.</summary>
    public static readonly IReadOnlyList<TimeSpan> Backoff = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)];

    public static readonly TimeSpan LastBackoff = TimeSpan.FromHours(1);

    /// <summary>A message still failing this long after it was queued is given up (<see cref="MailOutboxStatus.Failed"/>) and logged as an error.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(1);

    public MailOutboxItem Queue(string kind, string? about, MailboxAddress to, string subject, string textBody)
    {
        ArgumentNullException.ThrowIfNull(to);
        var item = MailOutboxItem.Queue(kind, about, to.Address, to.Name ?? string.Empty, subject, textBody, clock.GetUtcNow().UtcDateTime);
        db.MailOutbox.Add(item);
        return item;
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt: 1 min, 5 min, 30 min, then hourly.</summary>
    public static TimeSpan BackoffAfter(int attempts) => attempts >= 1 && attempts <= Backoff.Count ? Backoff[attempts - 1] : LastBackoff;

    /// <summary>
    /// Stable for one outbox row, so a message sent twice (a crash between the server's acceptance and the row being
    /// marked sent) carries the same Message-Id both times, and mail clients can drop the copy.
    /// </summary>
    public static string MessageIdFor(Guid id, MailboxAddress from)
    {
        ArgumentNullException.ThrowIfNull(from);
        var domain = string.IsNullOrEmpty(from.Domain) ? "localhost" : from.Domain;
        return $"outbox-{id:N}@{domain}";
    }
}

/// <summary>Asks for the outbox to be sent now, after a commit that queued mail; the web app enqueues a background job.</summary>
public interface IMailOutboxTrigger
{
    void RequestRun();
}

/// <summary>Without a job server (the command-line tools) queued mail waits for the app's recurring sweep.</summary>
public sealed class NoMailOutboxTrigger : IMailOutboxTrigger
{
    public void RequestRun()
    {
    }
}
