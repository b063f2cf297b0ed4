using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Text;

namespace Marketplace.Core.Payments.ClickPesa;

/// <summary>
/// A ClickPesa payment webhook as we read it: <c>{ event, data: { id, status, orderReference, collectedAmount,
/// collectedCurrency, … } }</c>, or the older <c>{ eventType, data: { paymentId, amount, currency, … } }</c>
/// (fields at the top level are accepted too). Only a notification: the status API decides what is credited.
/// </summary>
public sealed record ClickPesaNotification(string EventType, string OrderReference, string? PaymentId, string? Status, string? Amount, string? Currency)
{
    public const string PaymentReceived = "PAYMENT RECEIVED";
    public const string PaymentFailed = "PAYMENT FAILED";

    public bool IsPaymentEvent => EventType is PaymentReceived or PaymentFailed;

    /// <summary>
    /// The inbox key: ClickPesa sends no event id, so it is the event type and ClickPesa's payment id (one order can
    /// see a failed attempt and then a paid one), or a hash of the body when there is no payment id.
    /// </summary>
    public string EventId(ReadOnlySpan<byte> body) =>
        $"{EventType}:{PaymentId ?? OrderReference + ":" + Convert.ToHexStringLower(SHA256.HashData(body))[..16]}";

    public static ClickPesaNotification? TryParse(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object || !JsonText.IsUnicode(payload))
        {
            return null;
        }

        var eventType = ClickPesaJson.Text(payload, "event", "eventType")?.Trim().ToUpperInvariant();
        var data = payload.TryGetProperty("data", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : payload;
        var orderReference = ClickPesaJson.Text(data, "orderReference") ?? ClickPesaJson.Text(payload, "orderReference");
        if (string.IsNullOrWhiteSpace(eventType) || string.IsNullOrWhiteSpace(orderReference))
        {
            return null;
        }

        return new ClickPesaNotification(
            eventType,
            orderReference.Trim(),
            ClickPesaJson.Text(data, "id", "paymentId"),
            ClickPesaJson.Text(data, "status")?.Trim().ToUpperInvariant(),
            ClickPesaJson.Text(data, "collectedAmount", "amount"),
            ClickPesaJson.Text(data, "collectedCurrency", "currency"));
    }

    public static ClickPesaNotification? TryParse(string payload)
    {
        try
        {
            return TryParse(JsonSerializer.Deserialize<JsonElement>(Encoding.UTF8.GetBytes(payload)));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
