using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Core.Payments.Webhooks;

/// <summary>
/// Takes due rows out of the inbox and hands each to its gateway's <see cref="IWebhookEventHandler"/> in a fresh
/// scope. A row is claimed with one conditional update (pending, or processing whose lease lapsed), so two
/// overlapping runs, or two app instances, never handle the same row at once; the handler being idempotent covers
/// the rest (a crash after applying but before marking the row done). A claim names the instance and the start
/// (boot) that made it, so the first run after a restart takes back what the dead process held without waiting
/// out the lease.
/// </summary>
public sealed partial class WebhookProcessor(IServiceScopeFactory scopes, WebhookOptions options, TimeProvider clock, ILogger<WebhookProcessor> logger)
{
    private const int BatchSize = 50;

    /// <summary>Bounds one call, so a flood cannot keep one call going forever; the caller decides whether to go on.</summary>
    private const int MaxRowsPerRun = 1000;

    /// <summary>This start of the app; claims made by any other start of the same instance died with their process.</summary>
    public Guid Boot { get; } = Guid.NewGuid();

    private int _earlierClaimsReleased;

    /// <summary>Processes every due row (up to a bound) and returns how many it handled.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _earlierClaimsReleased, 1) == 0)
        {
            await ReleaseEarlierClaimsAsync(cancellationToken);
        }

        var handled = 0;
        while (handled < MaxRowsPerRun)
        {
            var due = await DueIdsAsync(cancellationToken);
            if (due.Count == 0)
            {
                break;
            }

            foreach (var id in due)
            {
                if (await ProcessOneAsync(id, cancellationToken))
                {
                    handled++;
                }
            }
        }

        return handled;
    }

    /// <summary>
    /// Handles one stored event now, if it is still due, rather than when the next drain reaches it: a page that stored
    /// the event itself (the demo checkout) can then show its outcome on the very next page. The same conditional claim
    /// as a drain makes this safe beside one; false when processing is off, the event is unknown or already taken.
    /// </summary>
    public async Task<bool> ProcessNowAsync(string gateway, string eventId, CancellationToken cancellationToken = default)
    {
        if (!options.ProcessingEnabled)
        {
            return false;
        }

        long id;
        using (var scope = scopes.CreateScope())
        {
            var found = await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().WebhookInbox
                .Where(i => i.Gateway == gateway && i.EventId == eventId)
                .Select(i => (long?)i.Id)
                .SingleOrDefaultAsync(cancellationToken);
            if (found is null)
            {
                return false;
            }

            id = found.Value;
        }

        return await ProcessOneAsync(id, cancellationToken);
    }

    /// <summary>Rows this instance claimed before its last start are due again now: the process that held them is gone.</summary>
    public async Task<int> ReleaseEarlierClaimsAsync(CancellationToken cancellationToken = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var instance = options.InstanceId;
        var boot = Boot;
        var released = await db.WebhookInbox
            .Where(i => i.Status == WebhookStatus.Processing && i.ClaimedBy == instance && i.ClaimBoot != boot)
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.Status, WebhookStatus.Pending)
                    .SetProperty(i => i.NextAttemptAt, now)
                    .SetProperty(i => i.UpdatedAt, now),
                cancellationToken);
        if (released > 0)
        {
            LogReleased(logger, released, instance);
        }

        return released;
    }

    /// <summary>Whether any row is due now; a drain asks once more after it lets another drain in.</summary>
    public async Task<bool> AnyDueAsync(CancellationToken cancellationToken = default)
    {
        using var scope = scopes.CreateScope();
        return await Due(scope.ServiceProvider.GetRequiredService<MarketplaceDb>()).AnyAsync(cancellationToken);
    }

    private IQueryable<WebhookInboxItem> Due(MarketplaceDb db)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.WebhookInbox.Where(i => (i.Status == WebhookStatus.Pending || i.Status == WebhookStatus.Processing) && i.NextAttemptAt <= now);
    }

    private async Task<List<long>> DueIdsAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        return await Due(scope.ServiceProvider.GetRequiredService<MarketplaceDb>())
            .OrderBy(i => i.NextAttemptAt).ThenBy(i => i.Id)
            .Select(i => i.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
    }

    private async Task<bool> ProcessOneAsync(long id, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.WebhookInbox
            .Where(i => i.Id == id && (i.Status == WebhookStatus.Pending || i.Status == WebhookStatus.Processing) && i.NextAttemptAt <= now)
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.Status, WebhookStatus.Processing)
                    .SetProperty(i => i.Attempts, i => i.Attempts + 1)
                    .SetProperty(i => i.NextAttemptAt, now + options.ProcessingLease)
                    .SetProperty(i => i.ClaimedBy, options.InstanceId)
                    .SetProperty(i => i.ClaimBoot, Boot)
                    .SetProperty(i => i.UpdatedAt, now),
                cancellationToken);
        if (claimed == 0)
        {
            return false;
        }

        var item = await db.WebhookInbox.AsNoTracking().SingleAsync(i => i.Id == id, cancellationToken);
        var handling = await HandleAsync(scope.ServiceProvider, item, cancellationToken);
        await RecordAsync(db, item, handling, cancellationToken);
        return true;
    }

    private async Task<WebhookHandling> HandleAsync(IServiceProvider services, WebhookInboxItem item, CancellationToken cancellationToken)
    {
        var handler = services.GetServices<IWebhookEventHandler>().FirstOrDefault(h => string.Equals(h.Gateway, item.Gateway, StringComparison.OrdinalIgnoreCase));
        if (handler is null)
        {
            return new WebhookHandling.Retry($"No handler is registered for gateway '{item.Gateway}' (is it configured?).");
        }

        try
        {
            return await handler.HandleAsync(item, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(logger, ex, item.Gateway, item.EventId, item.Attempts);
            return new WebhookHandling.Retry($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    // The claim's attempt count is the fencing token: a run whose lease lapsed and was taken over writes nothing.
    private async Task RecordAsync(MarketplaceDb db, WebhookInboxItem item, WebhookHandling handling, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = db.WebhookInbox.Where(i => i.Id == item.Id && i.Status == WebhookStatus.Processing && i.Attempts == item.Attempts);
        switch (handling)
        {
            case WebhookHandling.Done done:
                await mine.ExecuteUpdateAsync(
                    s => s.SetProperty(i => i.Status, WebhookStatus.Done)
                        .SetProperty(i => i.PaymentId, i => done.PaymentId ?? i.PaymentId)
                        .SetProperty(i => i.ProcessedAt, now)
                        .SetProperty(i => i.UpdatedAt, now),
                    cancellationToken);
                break;
            case WebhookHandling.Park park:
                LogParked(logger, item.Gateway, item.EventId, park.Reason);
                await mine.ExecuteUpdateAsync(
                    s => s.SetProperty(i => i.Status, WebhookStatus.Parked)
                        .SetProperty(i => i.PaymentId, i => park.PaymentId ?? i.PaymentId)
                        .SetProperty(i => i.LastError, WebhookInboxItem.Truncate(park.Reason, WebhookInboxItem.MaxErrorLength))
                        .SetProperty(i => i.UpdatedAt, now),
                    cancellationToken);
                break;
            case WebhookHandling.Retry retry:
                var dead = item.Attempts >= options.MaxAttempts;
                if (dead)
                {
                    LogDeadLetter(logger, item.Gateway, item.EventId, item.Attempts, retry.Error);
                }

                await mine.ExecuteUpdateAsync(
                    s => s.SetProperty(i => i.Status, dead ? WebhookStatus.DeadLetter : WebhookStatus.Pending)
                        .SetProperty(i => i.NextAttemptAt, now + options.BackoffAfter(item.Attempts))
                        .SetProperty(i => i.PaymentId, i => retry.PaymentId ?? i.PaymentId)
                        .SetProperty(i => i.LastError, WebhookInboxItem.Truncate(retry.Error, WebhookInboxItem.MaxErrorLength))
                        .SetProperty(i => i.UpdatedAt, now),
                    cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Unexpected handling {handling}.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took back {Count} webhook rows that an earlier start of instance {InstanceId} had claimed and not finished")]
    private static partial void LogReleased(ILogger logger, int count, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Gateway} {EventId} failed on attempt {Attempt}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string gateway, string eventId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Gateway} {EventId} parked for an admin: {Reason}")]
    private static partial void LogParked(ILogger logger, string gateway, string eventId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Gateway} {EventId} is a dead letter after {Attempts} attempts: {Error}")]
    private static partial void LogDeadLetter(ILogger logger, string gateway, string eventId, int attempts, string error);
}
