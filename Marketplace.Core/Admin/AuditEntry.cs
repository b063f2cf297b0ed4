namespace Marketplace.Core.Admin;

/// <summary>One thing an admin did: who, when, what (action + subject), why, and the details that matter (amounts, ids).</summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public long Id { get; private set; }

    public Guid AdminId { get; private set; }

    public string AdminEmail { get; private set; } = string.Empty;

    /// <summary>A stable verb such as <c>bank_transfer.confirm</c> or <c>balance.adjust</c>.</summary>
    public string Action { get; private set; } = string.Empty;

    /// <summary>What the action was about, e.g. <c>payment:3f…</c> or <c>user:9a…</c>.</summary>
    public string Subject { get; private set; } = string.Empty;

    public string Reason { get; private set; } = string.Empty;

    /// <summary>JSON with the facts of the decision (amounts as decimal strings, ids).</summary>
    public string Details { get; private set; } = "{}";

    public DateTime CreatedAt { get; private set; }

    public static AuditEntry Create(Guid adminId, string adminEmail, string action, string subject, string reason, string details, DateTime now) => new()
    {
        AdminId = adminId,
        AdminEmail = adminEmail,
        Action = action,
        Subject = subject,
        Reason = reason,
        Details = details,
        CreatedAt = now,
    };
}
