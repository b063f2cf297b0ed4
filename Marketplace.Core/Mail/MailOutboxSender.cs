using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Marketplace.Core.Mail;

/// <summary>
/// Sends due outbox mail through <see cref="IMailSender"/>. Each row is claimed with one conditional update (pending and
/// due, or sending whose lease lapsed), so two overlapping runs, or two app instances, never send the same row at once;
/// the claim's attempt count fences the update that records the outcome. A failure is retried after
/// <see cref="MailOutbox.BackoffAfter"/>; after <see cref="MailOutbox.GiveUpAfter"/> the row is failed and logged as an
/// error. A crash after the server accepted a message but before its row was marked sent sends it again after the
/// lease, with the same Message-Id.
/// </summary>
public sealed partial class MailOutboxSender(IServiceScopeFactory scopes, WebhookOptions instance, TimeProvider clock, ILogger<MailOutboxSender> logger)
{
    /// <summary>How long a claimed row belongs to the run that claimed it; well past an SMTP timeout (30 s).</summary>
    public static readonly TimeSpan SendingLease = TimeSpan.FromMinutes(5);

    private const int BatchSize = 50;

    /// <summary>Bounds one run; the next sweep goes on from there.</summary>
    private const int MaxPerRun = 500;

    /// <summary>Sends every due row (up to a bound) and returns how many were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        var tried = 0;
        var seen = new HashSet<Guid>();
        while (tried < MaxPerRun)
        {
            var due = (await DueIdsAsync(cancellationToken)).Where(seen.Add).ToList();
            if (due.Count == 0)
            {
                break;
            }

            foreach (var id in due)
            {
                tried++;
                if (await SendOneAsync(id, cancellationToken))
                {
                    sent++;
                }
            }
        }

        return sent;
    }

    /// <summary>Whether any row is due now.</summary>
    public async Task<bool> AnyDueAsync(CancellationToken cancellationToken = default)
    {
        using var scope = scopes.CreateScope();
        return await Due(scope.ServiceProvider.GetRequiredService<MarketplaceDb>()).AnyAsync(cancellationToken);
    }

    private IQueryable<MailOutboxItem> Due(MarketplaceDb db)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.MailOutbox.Where(m => (m.Status == MailOutboxStatus.Pending || m.Status == MailOutboxStatus.Sending) && m.NextAttemptAt <= now);
    }

    private async Task<List<Guid>> DueIdsAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        return await Due(scope.ServiceProvider.GetRequiredService<MarketplaceDb>())
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.CreatedAt)
            .Select(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
    }

    // True when this run claimed the row and the server took the message.
    private async Task<bool> SendOneAsync(Guid id, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.MailOutbox
            .Where(m => m.Id == id && (m.Status == MailOutboxStatus.Pending || m.Status == MailOutboxStatus.Sending) && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Status, MailOutboxStatus.Sending)
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                    .SetProperty(m => m.NextAttemptAt, now + SendingLease)
                    .SetProperty(m => m.ClaimedBy, instance.InstanceId),
                cancellationToken);
        if (claimed == 0)
        {
            return false;
        }

        var item = await db.MailOutbox.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
        string? error = null;
        try
        {
            await scope.ServiceProvider.GetRequiredService<IMailSender>().SendAsync(Message(item, scope.ServiceProvider.GetRequiredService<MailOptions>()), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = $"{ex.GetType().Name}: {ex.Message}";
            LogAttemptFailed(logger, ex, item.Kind, item.Id, item.Attempts);
        }

        await RecordAsync(db, item, error);
        return error is null;
    }

    private static MimeMessage Message(MailOutboxItem item, MailOptions options)
    {
        var message = new MimeMessage
        {
            MessageId = MailOutbox.MessageIdFor(item.Id, options.From),
            Date = new DateTimeOffset(item.CreatedAt, TimeSpan.Zero),
            Subject = item.Subject,
            Body = new TextPart("plain") { Text = item.TextBody },
        };
        message.From.Add(options.From);
        message.To.Add(new MailboxAddress(item.ToName, item.ToAddress));
        return message;
    }

    // Recorded whatever the job's token says: the server may already have the message.
    private async Task RecordAsync(MarketplaceDb db, MailOutboxItem item, string? error)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = db.MailOutbox.Where(m => m.Id == item.Id && m.Status == MailOutboxStatus.Sending && m.Attempts == item.Attempts);
        if (error is null)
        {
            await mine.ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Status, MailOutboxStatus.Sent)
                    .SetProperty(m => m.SentAt, now)
                    .SetProperty(m => m.LastError, (string?)null),
                CancellationToken.None);
            return;
        }

        var next = now + MailOutbox.BackoffAfter(item.Attempts);
        var givenUp = next - item.CreatedAt > MailOutbox.GiveUpAfter;
        if (givenUp)
        {
            LogGaveUp(logger, item.Kind, item.Id, item.ToAddress, item.Attempts, error);
        }

        await mine.ExecuteUpdateAsync(
            s => s.SetProperty(m => m.Status, givenUp ? MailOutboxStatus.Failed : MailOutboxStatus.Pending)
                .SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.LastError, MailOutboxItem.Truncate(error, MailOutboxItem.MaxErrorLength)),
            CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} mail {MailId} could not be sent on attempt {Attempt}; it is retried later")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, string kind, Guid mailId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up on the {Kind} mail {MailId} to {Recipient} after {Attempts} attempts over a day: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string kind, Guid mailId, string recipient, int attempts, string error);
}
