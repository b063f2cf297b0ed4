using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Payments.Demo;

/// <summary>The per-install secret that signs demo events: 32 random bytes in <c>&lt;data dir&gt;/keys/demo-webhook.key</c>, made on first use.</summary>
public sealed class DemoWebhookKey(DatabaseSettings settings)
{
    private readonly Lazy<byte[]> _key = new(() => LoadOrCreate(Path.Combine(settings.DataDirectory, "keys", "demo-webhook.key")));

    public byte[] Value => _key.Value;

    // Instances on one data directory agree on one key, however many start together.
    private static byte[] LoadOrCreate(string path) =>
        Convert.FromBase64String(Identity.KeyFile.ReadOrCreate(path, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Trim());
}

/// <summary>
/// The demo checkout's "gateway": paying or declining produces a signed event that goes through the same
/// verify → inbox → job → PaymentService path as Stripe's webhooks, so demo mode exercises the real pipeline.
/// One event per payment (<c>demo_&lt;payment id&gt;</c>): the first card decision wins, later ones are duplicates.
/// </summary>
public sealed class DemoWebhooks(WebhookInbox inbox, MarketplaceDb db, DemoWebhookKey key, TimeProvider clock)
{
    public const string Succeeded = "demo.payment.succeeded";
    public const string Declined = "demo.payment.declined";

    public static string EventId(Guid paymentId) => $"demo_{paymentId:N}";

    /// <summary>Signs the decision as the demo "provider", then receives it as a webhook endpoint would: verify, store.</summary>
    public async Task<AcceptResult> SubmitAsync(Payment payment, DemoCardOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var type = outcome switch
        {
            DemoCardOutcome.Pays => Succeeded,
            DemoCardOutcome.Declined => Declined,
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Only a test card's decision is an event."),
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["id"] = EventId(payment.Id),
            ["type"] = type,
            ["created"] = clock.GetUtcNow().ToUnixTimeSeconds(),
            ["payment_id"] = payment.Id.ToString("N"),
            ["amount"] = payment.Amount.ToDecimalString(),
            ["currency"] = payment.Currency,
        });
        var signature = Hmac.Sha256Hex(key.Value, body);

        if (!Hmac.VerifyHex(key.Value, body, signature))
        {
            throw new InvalidOperationException("A demo event failed its own signature check.");
        }

        return await inbox.AcceptAsync(DemoGateway.GatewayName, EventId(payment.Id), type, Encoding.UTF8.GetString(body), cancellationToken);
    }

    /// <summary>Whether a card decision for this payment is already in the inbox (processed or not).</summary>
    public Task<bool> SubmittedAsync(Guid paymentId, CancellationToken cancellationToken = default)
    {
        var eventId = EventId(paymentId);
        return db.WebhookInbox.AnyAsync(i => i.Gateway == DemoGateway.GatewayName && i.EventId == eventId, cancellationToken);
    }
}

/// <summary>Applies demo events; like every handler, through PaymentService and only when amount and currency match.</summary>
public sealed class DemoWebhookHandler(MarketplaceDb db, PaymentService payments) : IWebhookEventHandler
{
    public const string DeclinedReason = "Card declined (test card 4000 0000 0000 0002).";

    public string Gateway => DemoGateway.GatewayName;

    public async Task<WebhookHandling> HandleAsync(WebhookInboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var document = JsonDocument.Parse(item.Payload);
        var root = document.RootElement;
        if (!Guid.TryParse(root.GetProperty("payment_id").GetString(), out var paymentId))
        {
            return new WebhookHandling.Park("The demo event names no payment.");
        }

        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is null || payment.Gateway != DemoGateway.GatewayName)
        {
            return new WebhookHandling.Park($"No demo payment {paymentId} here.");
        }

        if (root.GetProperty("amount").GetString() != payment.Amount.ToDecimalString() || root.GetProperty("currency").GetString() != payment.Currency)
        {
            return new WebhookHandling.Park("Amount or currency differ from the payment; not credited.", payment.Id);
        }

        var result = item.EventType switch
        {
            DemoWebhooks.Succeeded => await payments.CompleteAsync(payment.Id, PaymentOutcome.Succeeded, reason: null, CompletionDetails.MoneyCollected, cancellationToken),
            DemoWebhooks.Declined => await payments.CompleteAsync(payment.Id, PaymentOutcome.Failed, DeclinedReason, cancellationToken),
            _ => null,
        };
        return result is null
            ? new WebhookHandling.Done(payment.Id, string.Create(CultureInfo.InvariantCulture, $"{item.EventType} is not a demo event."))
            : new WebhookHandling.Done(payment.Id);
    }
}
