namespace Marketplace.Core.Payments.Webhooks;

public enum WebhookStatus
{
    /// <summary>Waiting for the job (first try, or a retry once <see cref="WebhookInboxItem.NextAttemptAt"/> is due).</summary>
    Pending = 1,

    /// <summary>Claimed by a job run until <see cref="WebhookInboxItem.NextAttemptAt"/>; a run that died is reclaimed after that.</summary>
    Processing = 2,

    /// <summary>Applied (or deliberately ignored); never processed again.</summary>
    Done = 3,

    /// <summary>Failed <c>Webhooks:MaxAttempts</c> times; waits for an admin's Retry.</summary>
    DeadLetter = 4,

    /// <summary>Verified but not applicable as is (e.g. amount or currency differ from the payment); waits for an admin.</summary>
    Parked = 5,
}

/// <summary>
/// One verified webhook delivery, stored before it is acknowledged and processed later by the inbox job.
/// (gateway, event id) is unique, so a redelivered event is recognised and changes nothing.
/// </summary>
public sealed class WebhookInboxItem
{
    public const int MaxEventIdLength = 255;
    public const int MaxEventTypeLength = 100;
    public const int MaxErrorLength = 2000;
    public const int MaxInstanceIdLength = 100;

    private WebhookInboxItem()
    {
    }

    public long Id { get; private set; }

    /// <summary>The gateway's wire name (stripe, clickpesa, demo); picks the <see cref="IWebhookEventHandler"/>.</summary>
    public string Gateway { get; private set; } = string.Empty;

    /// <summary>The gateway's id for the event (Stripe <c>evt_…</c>); unique per gateway.</summary>
    public string EventId { get; private set; } = string.Empty;

    public string EventType { get; private set; } = string.Empty;

    /// <summary>The request body exactly as received (UTF-8 text), for the handler and for admins.</summary>
    public string Payload { get; private set; } = string.Empty;

    public WebhookStatus Status { get; private set; }

    /// <summary>How many times a job run has claimed this row.</summary>
    public int Attempts { get; private set; }

    /// <summary>Pending: when it may run next. Processing: when the claim lapses.</summary>
    public DateTime NextAttemptAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The app instance (<c>Webhooks:InstanceId</c>) whose job run claimed the row last.</summary>
    public string? ClaimedBy { get; private set; }

    /// <summary>Which start of that instance claimed it: a later start of the same instance knows the claim died with the process.</summary>
    public Guid? ClaimBoot { get; private set; }

    /// <summary>The payment the handler applied the event to, once known.</summary>
    public Guid? PaymentId { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public DateTime? ProcessedAt { get; private set; }

    public static WebhookInboxItem Receive(string gateway, string eventId, string eventType, string payload, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gateway);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        ArgumentNullException.ThrowIfNull(payload);
        return new WebhookInboxItem
        {
            Gateway = gateway,
            EventId = eventId.Length <= MaxEventIdLength ? eventId : throw new ArgumentException("Event id too long.", nameof(eventId)),
            EventType = Truncate(eventType ?? string.Empty, MaxEventTypeLength),
            Payload = payload,
            Status = WebhookStatus.Pending,
            NextAttemptAt = now,
            ReceivedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>An admin credited the parked event's payment by hand; the row is finished.</summary>
    public bool ResolveByAdmin(DateTime now)
    {
        if (Status != WebhookStatus.Parked)
        {
            return false;
        }

        Status = WebhookStatus.Done;
        ProcessedAt = now;
        UpdatedAt = now;
        return true;
    }

    internal static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
