using Marketplace.Core.Admin;
using Marketplace.Core.Persistence;
using Marketplace.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Payments.Webhooks;

public enum AcceptResult
{
    /// <summary>Stored as a new pending row: acknowledge and trigger the job.</summary>
    Accepted,

    /// <summary>(gateway, event id) is already stored: acknowledge and do nothing else.</summary>
    Duplicate,
}

public enum RetryResult
{
    Requeued,
    NotFound,

    /// <summary>Only dead letters and parked rows wait for an admin; others are already on their way.</summary>
    NotWaiting,
}

/// <summary>
/// The durable side of webhooks: verified deliveries go in here (once per gateway event id) before they are
/// acknowledged; <see cref="WebhookProcessor"/> takes them out. Webhook endpoints call <see cref="AcceptAsync"/>
/// after checking the signature and then trigger the inbox job.
/// </summary>
public sealed class WebhookInbox(MarketplaceDb db, AuditLog auditLog, TimeProvider clock)
{
    public async Task<AcceptResult> AcceptAsync(string gateway, string eventId, string eventType, string payload, CancellationToken cancellationToken = default)
    {
        var item = WebhookInboxItem.Receive(gateway, eventId, eventType, payload, clock.GetUtcNow().UtcDateTime);
        if (await db.WebhookInbox.AnyAsync(i => i.Gateway == gateway && i.EventId == eventId, cancellationToken))
        {
            return AcceptResult.Duplicate;
        }

        db.WebhookInbox.Add(item);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return AcceptResult.Accepted;
        }
        catch (DbUpdateException ex) when (DatabaseProvider.IsUniqueViolation(ex))
        {
            // A concurrent delivery of the same event won the insert.
            db.Entry(item).State = EntityState.Detached;
            return AcceptResult.Duplicate;
        }
    }

    /// <summary>An admin puts a dead letter or parked row back in the queue with fresh attempts; audited in the same transaction.</summary>
    public async Task<RetryResult> RetryAsync(long id, AdminActor admin, string reason, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var item = await db.WebhookInbox.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (item is null)
        {
            return RetryResult.NotFound;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var requeued = await db.WebhookInbox
            .Where(i => i.Id == id && (i.Status == WebhookStatus.DeadLetter || i.Status == WebhookStatus.Parked))
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.Status, WebhookStatus.Pending)
                    .SetProperty(i => i.Attempts, 0)
                    .SetProperty(i => i.NextAttemptAt, now)
                    .SetProperty(i => i.UpdatedAt, now),
                cancellationToken);
        if (requeued == 0)
        {
            return RetryResult.NotWaiting;
        }

        auditLog.Add(admin, "webhook.retry", $"webhook:{id}", reason, new { item.Gateway, item.EventId, item.EventType, PreviousStatus = WireName.Of(item.Status), item.Attempts, item.LastError });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return RetryResult.Requeued;
    }

    /// <summary>Whether the gateway's event is stored already (processed or not).</summary>
    public Task<bool> HasAsync(string gateway, string eventId, CancellationToken cancellationToken = default) =>
        db.WebhookInbox.AnyAsync(i => i.Gateway == gateway && i.EventId == eventId, cancellationToken);

    public Task<WebhookInboxItem?> FindAsync(long id, CancellationToken cancellationToken = default) =>
        db.WebhookInbox.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);

    /// <summary>Newest first, optionally only rows in one of <paramref name="statuses"/>.</summary>
    public async Task<IReadOnlyList<WebhookInboxItem>> RecentAsync(int limit, IReadOnlyCollection<WebhookStatus>? statuses = null, CancellationToken cancellationToken = default)
    {
        var query = db.WebhookInbox.AsNoTracking();
        if (statuses is { Count: > 0 })
        {
            query = query.Where(i => statuses.Contains(i.Status));
        }

        return await query.OrderByDescending(i => i.Id).Take(limit).ToListAsync(cancellationToken);
    }
}
