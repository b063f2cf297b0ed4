using System.Text;
using System.Text.Json;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Text;
using Marketplace.Core.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Core.Payments.ClickPesa;

/// <summary>
/// Mobile money through ClickPesa's hosted checkout (TZS and USD). The order reference is derived from the payment id
/// and stored as the payment's provider reference; webhooks and status queries find the payment by it. A webhook is
/// only a notification: its checksum is verified at the door, and before anything is credited ClickPesa's status API
/// is asked (<see cref="ConfirmAsync"/>). Where the shopper returns after paying is set in ClickPesa's dashboard.
/// </summary>
public sealed class ClickPesaGateway(ClickPesaClient client, ClickPesaOptions options, WebhookInbox inbox) : IPaymentGateway, IGatewayRegistration
{
    public static string GatewayName => "clickpesa";

    public string Name => GatewayName;

    public string DisplayName => "Mobile money (ClickPesa)";

    // ClickPesa does not document the host of its checkout links; its own domain and subdomains cover them.
    public HostedCheckoutOrigin? CheckoutOrigin => HostedCheckoutOrigin.For(options.ApiBase, ClickPesaOptions.DefaultApiBase, "https://*.clickpesa.com");

    public bool ExpiresByAge => true;

    /// <summary>ClickPesa is offered only with its client id and API key; its token is cached app-wide.</summary>
    public static bool TryAdd(IServiceCollection services, StartupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var clickPesa = settings.Read<ClickPesaOptions>();
        if (!clickPesa.IsConfigured)
        {
            return false;
        }

        services.AddSettings<ClickPesaOptions>();
        services.AddSingleton<ClickPesaTokenCache>();
        services.AddHttpClient<ClickPesaClient>(http =>
        {
            http.BaseAddress = clickPesa.ApiBase;
            http.Timeout = TimeSpan.FromSeconds(30);
        });
        return true;
    }

    public bool Supports(Currency currency) => currency == Currency.Tzs || currency == Currency.Usd;

    public async Task<StartResult> StartAsync(Payment payment, Uri siteOrigin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var orderReference = OrderReference(payment.Id);
        var request = new ClickPesaCheckoutRequest(payment.Amount.ToDecimalString(), orderReference, payment.Currency, payment.WhatItBuys);
        return await client.GenerateCheckoutLinkAsync(request, cancellationToken) switch
        {
            ClickPesaResult<Uri>.Ok ok => new StartResult.Redirect(ok.Value, orderReference),
            ClickPesaResult<Uri>.Failed failed => new StartResult.Failed(
                failed.Transient ? "gateway_unavailable" : "gateway_rejected",
                $"ClickPesa could not create a checkout link ({failed.Status}): {failed.Message}",
                failed.Transient),
            var other => throw new InvalidOperationException($"Unexpected {other}."),
        };
    }

    /// <summary>
    /// Text that is not Unicode is malformed; a missing or wrong checksum is refused; payment events go into the inbox
    /// once per (event, ClickPesa payment id); other events (payouts) are acknowledged and dropped.
    /// </summary>
    public WebhookReading ReadWebhook(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        switch (JsonText.Check(delivery.Body))
        {
            case JsonTextCheck.NotUnicode:
                return new WebhookReading.Malformed("malformed_json", "The body is not valid Unicode JSON text.");
            case JsonTextCheck.Malformed:
                return new WebhookReading.Rejected("The webhook body is not JSON, so its checksum cannot be checked.");
        }

        var payload = JsonSerializer.Deserialize<JsonElement>(delivery.Body);
        if (!ClickPesaChecksum.Verify(options.ChecksumKey, payload))
        {
            return new WebhookReading.Rejected("The ClickPesa checksum is missing or does not match this payload.");
        }

        if (ClickPesaNotification.TryParse(payload) is not { IsPaymentEvent: true } notification)
        {
            return new WebhookReading.NotForUs();
        }

        var eventId = notification.EventId(delivery.Body);
        return eventId.Length <= WebhookInboxItem.MaxEventIdLength
            ? new WebhookReading.InboxEvent(eventId, notification.EventType, Encoding.UTF8.GetString(delivery.Body))
            : new WebhookReading.Malformed("invalid_event_id", $"The payment id and order reference make an event id longer than {WebhookInboxItem.MaxEventIdLength} characters; ClickPesa's are short.");
    }

    public PaymentEvent ReadEvent(WebhookInboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return ClickPesaNotification.TryParse(item.Payload) is { IsPaymentEvent: true } notification
            ? new PaymentEvent.About(new PaymentKey(ProviderReference: notification.OrderReference), new PaymentNews.Notified(notification.EventType))
            : new PaymentEvent.Ignored("Not a payment event; nothing to apply.");
    }

    /// <summary>
    /// The status API decides: a SUCCESS or SETTLED entry is the money collected (its amount is checked against the
    /// payment), only FAILED entries fail it, anything else waits. An order can be tried again after a failed attempt,
    /// so a payment marked failed or expired is still looked up: money ClickPesa says it collected is credited.
    /// </summary>
    public async Task<PaymentNews> ConfirmAsync(Payment payment, PaymentNews news, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var orderReference = payment.ProviderReference ?? OrderReference(payment.Id);
        var queried = await client.QueryPaymentAsync(orderReference, cancellationToken);
        if (queried is ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Failed failed)
        {
            return new PaymentNews.Unconfirmed($"ClickPesa status query failed ({failed.Status}): {failed.Message}");
        }

        var entries = ((ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Ok)queried).Value
            .Where(e => e.OrderReference is null || string.Equals(e.OrderReference, orderReference, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (entries.FirstOrDefault(e => e.IsPaid) is { } paid)
        {
            return new PaymentNews.Paid(Collected(paid), $"{paid.CollectedAmount} {paid.CollectedCurrency}", $"Confirmed by ClickPesa ({paid.Status}).");
        }

        if (entries.Count > 0 && entries.All(e => e.IsFailed))
        {
            var message = entries[^1].Message;
            return new PaymentNews.Failed(string.IsNullOrWhiteSpace(message) ? "ClickPesa reports the payment failed." : $"ClickPesa: {message}");
        }

        var notified = (news as PaymentNews.Notified)?.What ?? "A notification";
        if (payment.IsFinal && notified != ClickPesaNotification.PaymentReceived)
        {
            return new PaymentNews.Waiting($"The payment is already {WireName.Of(payment.Status)}.");
        }

        var state = entries.Count == 0 ? "no payment yet" : string.Join(", ", entries.Select(e => e.Status));
        return new PaymentNews.Unconfirmed($"{notified} for {orderReference}, but ClickPesa's status is: {state}.");
    }

    /// <summary>
    /// A checkout link cannot be withdrawn through the API, so ClickPesa is asked first. Paid: the payment is left
    /// open and a notification of our own goes into the inbox, so a lost webhook still ends in the same
    /// status-confirmed crediting. Anything else closes (money that still arrives later is credited anyway: a late
    /// success after expiry is allowed). Unreachable: ask again later.
    /// </summary>
    public async Task<CheckoutClosing> CloseAsync(Payment payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var orderReference = payment.ProviderReference ?? OrderReference(payment.Id);
        switch (await client.QueryPaymentAsync(orderReference, cancellationToken))
        {
            case ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Ok ok when ok.Value.Any(s => s.IsPaid):
                var check = JsonSerializer.Serialize(new { @event = ClickPesaNotification.PaymentReceived, data = new { orderReference, source = "expiry check" } });
                await inbox.AcceptAsync(GatewayName, $"{ClickPesaNotification.PaymentReceived}:expiry-check:{payment.Id:N}", ClickPesaNotification.PaymentReceived, check, cancellationToken);
                return CheckoutClosing.Paid;
            case ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Ok or ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Failed { Status: 404 }:
                return CheckoutClosing.Closed;
            default:
                return CheckoutClosing.TryLater;
        }
    }

    /// <summary>
    /// "MC" and the first 18 hex digits of the payment id, upper case: letters and digits only, 20 characters
    /// (ClickPesa's limit is undocumented; 20 is kept to be safe), unique per payment (72 random bits of a v4 id,
    /// and the unique index on provider references makes a clash fail rather than mix two payments up).
    /// </summary>
    public static string OrderReference(Guid paymentId) => "MC" + paymentId.ToString("N")[..18].ToUpperInvariant();

    /// <summary>What ClickPesa says it collected, as money ("25000.00" TZS is 25,000 TZS), or null when it is not a whole number of minor units in a currency we know.</summary>
    public static Money? Collected(ClickPesaPaymentStatus entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!Currency.TryFind(entry.CollectedCurrency?.Trim().ToUpperInvariant(), out var currency) || entry.CollectedAmount is not { } text)
        {
            return null;
        }

        text = text.Trim();
        if (text.Contains('.', StringComparison.Ordinal))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return DecimalString.TryParseUnits(text, currency.Decimals, out var minor) == AmountParse.Ok ? new Money(minor, currency) : null;
    }

    /// <summary>The collected amount equals the payment's, in its currency.</summary>
    public static bool Matches(ClickPesaPaymentStatus entry, Money expected) => Collected(entry) == expected;
}
