using System.Globalization;
using System.Text.Json;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Text;
using Marketplace.Core.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Core.Payments.Demo;

/// <summary>
/// A hosted-checkout look-alike inside the app, for demo mode and tests (<c>DEMO_PAYMENT</c>). Its page signs the card's
/// decision as the demo "provider" (<see cref="SignEvent"/>) and hands it to the same webhook receiver as every gateway,
/// so demo mode exercises the real verify → inbox → job → <see cref="PaymentService"/> path. One event per payment
/// (<c>demo_&lt;payment id&gt;</c>): the first card decision wins, later ones are duplicates.
/// </summary>
public sealed class DemoGateway(DemoWebhookKey key, TimeProvider clock) : IPaymentGateway, IGatewayRegistration
{
    public const string SucceedingCard = "4242424242424242";
    public const string DecliningCard = "4000000000000002";
    public const string Succeeded = "demo.payment.succeeded";
    public const string Declined = "demo.payment.declined";
    public const string SignatureHeader = "Demo-Signature";
    public const string DeclinedReason = "Card declined (test card 4000 0000 0000 0002).";

    public static string GatewayName => "demo";

    public string Name => GatewayName;

    public string DisplayName => "Demo";

    public HostedCheckoutOrigin? CheckoutOrigin => null;

    public bool ExpiresByAge => true;

    public static bool TryAdd(IServiceCollection services, StartupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Read<MarketplaceOptions>().DemoPayment)
        {
            return false;
        }

        services.AddSingleton<DemoWebhookKey>();
        return true;
    }

    public static string EventId(Guid paymentId) => $"demo_{paymentId:N}";

    public bool Supports(Currency currency) => currency != Currency.Credits;

    public Task<StartResult> StartAsync(Payment payment, Uri siteOrigin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return Task.FromResult<StartResult>(new StartResult.Redirect(new Uri(siteOrigin, $"/payments/demo/{payment.Id}"), $"demo_{payment.Id:N}"));
    }

    /// <summary>The card's decision as the demo provider sends it: a JSON event and its HMAC-SHA256 in <see cref="SignatureHeader"/>.</summary>
    public WebhookDelivery SignEvent(Payment payment, DemoCardOutcome outcome)
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
        return new WebhookDelivery(body, name => string.Equals(name, SignatureHeader, StringComparison.OrdinalIgnoreCase) ? signature : null);
    }

    public WebhookReading ReadWebhook(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var text = JsonText.Check(delivery.Body);
        if (text == JsonTextCheck.NotUnicode)
        {
            return new WebhookReading.Malformed("malformed_json", "The body is not valid Unicode JSON text.");
        }

        if (!Hmac.VerifyHex(key.Value, delivery.Body, delivery.Header(SignatureHeader)))
        {
            return new WebhookReading.Rejected($"The {SignatureHeader} header is missing or does not match the body.");
        }

        if (text == JsonTextCheck.Malformed)
        {
            return new WebhookReading.Malformed("malformed_event", "A demo event is a JSON object with string id and type.");
        }

        using var document = JsonDocument.Parse(delivery.Body);
        var root = document.RootElement;
        return Text(root, "id") is { Length: > 0 and <= WebhookInboxItem.MaxEventIdLength } id && Text(root, "type") is { Length: > 0 } type
            ? new WebhookReading.InboxEvent(id, type, System.Text.Encoding.UTF8.GetString(delivery.Body))
            : new WebhookReading.Malformed("malformed_event", "A demo event is a JSON object with string id and type.");
    }

    public PaymentEvent ReadEvent(WebhookInboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var document = JsonDocument.Parse(item.Payload);
        var root = document.RootElement;
        if (!Guid.TryParse(Text(root, "payment_id"), out var paymentId))
        {
            return new PaymentEvent.Unreadable("The demo event names no payment.");
        }

        var key = new PaymentKey(paymentId);
        var amount = Text(root, "amount");
        var currency = Text(root, "currency");
        return item.EventType switch
        {
            Succeeded => new PaymentEvent.About(key, new PaymentNews.Paid(Collected(amount, currency), $"{amount} {currency}")),
            Declined => new PaymentEvent.About(key, new PaymentNews.Failed(DeclinedReason)),
            _ => new PaymentEvent.Ignored(string.Create(CultureInfo.InvariantCulture, $"{item.EventType} is not a demo event.")),
        };
    }

    /// <summary>A signed demo event is its own confirmation.</summary>
    public Task<PaymentNews> ConfirmAsync(Payment payment, PaymentNews news, CancellationToken cancellationToken) => Task.FromResult(news);

    /// <summary>The demo checkout is a page of ours: once its payment is closed the page no longer takes a card.</summary>
    public Task<CheckoutClosing> CloseAsync(Payment payment, CancellationToken cancellationToken) => Task.FromResult(CheckoutClosing.Closed);

    /// <summary>What the demo "card" does: pays, declines, or is not a test card at all.</summary>
    public static DemoCardOutcome Classify(string? cardNumber)
    {
        var digits = new string((cardNumber ?? string.Empty).Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        return digits switch
        {
            SucceedingCard => DemoCardOutcome.Pays,
            DecliningCard => DemoCardOutcome.Declined,
            _ => DemoCardOutcome.Unknown,
        };
    }

    private static Money? Collected(string? amount, string? currency) =>
        Currency.TryFind(currency, out var found) && Money.TryParse(amount, found, out var money) == AmountParse.Ok ? money : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

public enum DemoCardOutcome
{
    Unknown,
    Pays,
    Declined,
}
