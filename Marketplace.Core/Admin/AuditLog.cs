using System.Text.Json;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Admin;

/// <summary>The admin who acts, as the audit log records them.</summary>
public sealed record AdminActor(Guid Id, string Email);

/// <summary>
/// Every admin action is written here. Call <see cref="Add"/> inside the same transaction as the change it
/// describes (before SaveChanges), so the record and the change commit or roll back together.
/// </summary>
public sealed class AuditLog(MarketplaceDb db, TimeProvider clock)
{
    /// <summary>The actor of entries the application writes by itself (a payment credited after it was marked failed).</summary>
    public static readonly AdminActor System = new(Guid.Empty, "system");

    private static readonly JsonSerializerOptions DetailsJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public AuditEntry Add(AdminActor admin, string action, string subject, string reason, object? details = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var entry = AuditEntry.Create(
            admin.Id,
            admin.Email,
            action,
            subject,
            reason,
            details is null ? "{}" : JsonSerializer.Serialize(details, DetailsJson),
            clock.GetUtcNow().UtcDateTime);
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>Newest first; <paramref name="before"/> is the id of the last entry already shown.</summary>
    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, long? before = null, CancellationToken cancellationToken = default)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (before is { } cursor)
        {
            query = query.Where(e => e.Id < cursor);
        }

        return await query.OrderByDescending(e => e.Id).Take(limit).ToListAsync(cancellationToken);
    }
}
