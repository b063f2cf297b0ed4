namespace Marketplace.Core.Payments.Webhooks;

/// <summary>A webhook as it arrived: the body's raw bytes (signatures cover them) and its headers.</summary>
public sealed record WebhookDelivery(byte[] Body, Func<string, string?> Header);

/// <summary>What a gateway made of a delivery at the door (<see cref="IPaymentGateway.ReadWebhook"/>).</summary>
public abstract record WebhookReading
{
    private WebhookReading()
    {
    }

    /// <summary>Authentic, and this inbox event (stored once per gateway and event id).</summary>
    public sealed record InboxEvent(string EventId, string EventType, string Payload) : WebhookReading;

    /// <summary>Not authentic (signature or checksum missing or wrong): 401, nothing stored.</summary>
    public sealed record Rejected(string Detail) : WebhookReading;

    /// <summary>Authentic but not something we act on (a payout): acknowledged and dropped.</summary>
    public sealed record NotForUs : WebhookReading;

    /// <summary>Not readable as an event at all: 400 with <paramref name="Code"/>, nothing stored.</summary>
    public sealed record Malformed(string Code, string Detail) : WebhookReading;

    /// <summary>The gateway takes no webhooks (bank transfer): 404.</summary>
    public sealed record NoWebhooks : WebhookReading;
}

/// <summary>What a stored event says (<see cref="IPaymentGateway.ReadEvent"/>).</summary>
public abstract record PaymentEvent
{
    private PaymentEvent()
    {
    }

    /// <summary>Nothing to do: an event type we do not act on, or a payment that is not ours.</summary>
    public sealed record Ignored(string Note) : PaymentEvent;

    /// <summary>Verified, but a field cannot be read as documented; no retry will change that, so an admin looks.</summary>
    public sealed record Unreadable(string Problem) : PaymentEvent;

    /// <summary>News about one payment.</summary>
    public sealed record About(PaymentKey Key, PaymentNews News) : PaymentEvent;
}

/// <summary>
/// How an event names its payment: our id, the gateway's reference, or both (then they must agree; a Stripe event names
/// the payment and its session).
/// </summary>
public sealed record PaymentKey(Guid? PaymentId = null, string? ProviderReference = null)
{
    public override string ToString() => PaymentId?.ToString() ?? ProviderReference ?? "(none)";
}

/// <summary>What happened to a payment, as an event claims it and as the provider confirms it.</summary>
public abstract record PaymentNews
{
    private PaymentNews()
    {
    }

    /// <summary>
    /// The money was collected. <paramref name="Collected"/> is null when it cannot even be written in the payment's
    /// terms (an unknown currency, a fraction of a minor unit); <paramref name="Described"/> says it as the gateway did.
    /// </summary>
    public sealed record Paid(Money? Collected, string Described, string? Note = null) : PaymentNews;

    public sealed record Failed(string Reason) : PaymentNews;

    public sealed record Expired : PaymentNews;

    /// <summary>The gateway gave (some of) the money back; an admin decides what that means for the credits.</summary>
    public sealed record Refunded(string Described) : PaymentNews;

    /// <summary>Nothing final yet, and another event will say so (Stripe's delayed methods): done for now.</summary>
    public sealed record Waiting(string Note) : PaymentNews;

    /// <summary>A notification to be confirmed with the provider (ClickPesa's webhooks).</summary>
    public sealed record Notified(string What) : PaymentNews;

    /// <summary>The provider could not confirm it yet (unreachable, still processing): try again later.</summary>
    public sealed record Unconfirmed(string Reason) : PaymentNews;
}
