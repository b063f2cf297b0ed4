using System.Text.Json;

namespace Marketplace.Core.Payments.Stripe;

/// <summary>The Stripe event types the app acts on; everything else is acknowledged and left alone.</summary>
public static class StripeEvents
{
    public const string Completed = "checkout.session.completed";
    public const string AsyncSucceeded = "checkout.session.async_payment_succeeded";
    public const string AsyncFailed = "checkout.session.async_payment_failed";
    public const string Expired = "checkout.session.expired";
    public const string ChargeRefunded = "charge.refunded";

    public static bool IsSessionEvent(string type) => type is Completed or AsyncSucceeded or AsyncFailed or Expired;
}

/// <summary>
/// The fields of a Checkout Session event we act on, read strictly: each may be absent or null, but one that is
/// present must have its documented JSON type, or the whole event is refused with the field named.
/// </summary>
public sealed record StripeSessionEvent(string? Id, string? MetadataPaymentId, string? ClientReferenceId, string? PaymentStatus, long? AmountTotal, string? Currency)
{
    public static bool TryRead(JsonElement root, out StripeSessionEvent session, out string problem)
    {
        session = new StripeSessionEvent(null, null, null, null, null, null);
        problem = string.Empty;
        if (!Member(root, "data", JsonValueKind.Object, "data", ref problem, out var data) || data is not { } dataObject)
        {
            problem = problem.Length > 0 ? problem : "The event has no data.object (not a checkout.session?).";
            return false;
        }

        if (!Member(dataObject, "object", JsonValueKind.Object, "data.object", ref problem, out var found) || found is not { } obj)
        {
            problem = problem.Length > 0 ? problem : "The event has no data.object (not a checkout.session?).";
            return false;
        }

        string? metadataPaymentId = null;
        if (!Member(obj, "metadata", JsonValueKind.Object, "data.object.metadata", ref problem, out var metadata)
            || (metadata is { } m && !Text(m, "payment_id", "data.object.metadata.payment_id", ref problem, out metadataPaymentId))
            || !Text(obj, "id", "data.object.id", ref problem, out var id)
            || !Text(obj, "client_reference_id", "data.object.client_reference_id", ref problem, out var clientReference)
            || !Text(obj, "payment_status", "data.object.payment_status", ref problem, out var paymentStatus)
            || !Text(obj, "currency", "data.object.currency", ref problem, out var currency)
            || !Member(obj, "amount_total", JsonValueKind.Number, "data.object.amount_total", ref problem, out var total))
        {
            return false;
        }

        long? amount = null;
        if (total is { } number)
        {
            if (!number.TryGetInt64(out var units))
            {
                problem = "Field data.object.amount_total is not a whole number of minor units; not applied.";
                return false;
            }

            amount = units;
        }

        session = new StripeSessionEvent(id, metadataPaymentId, clientReference, paymentStatus, amount, currency);
        return true;
    }

    internal static bool Text(JsonElement parent, string name, string path, ref string problem, out string? text)
    {
        text = null;
        if (!Member(parent, name, JsonValueKind.String, path, ref problem, out var value))
        {
            return false;
        }

        text = value?.GetString();
        return true;
    }

    // Absent and null read as "not there"; any other kind than the expected one is the problem.
    internal static bool Member(JsonElement parent, string name, JsonValueKind kind, string path, ref string problem, out JsonElement? value)
    {
        value = null;
        if (!parent.TryGetProperty(name, out var found) || found.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (found.ValueKind != kind)
        {
            problem = $"Field {path} is {found.ValueKind.ToString().ToLowerInvariant()}, expected {kind.ToString().ToLowerInvariant()}; not applied.";
            return false;
        }

        value = found;
        return true;
    }
}

/// <summary>
/// The fields of a <c>charge.refunded</c> event we report, read as strictly as <see cref="StripeSessionEvent"/>. The
/// payment is named by <c>metadata.payment_id</c>: Checkout puts it on the PaymentIntent (<c>payment_intent_data</c>),
/// and Stripe copies a PaymentIntent's metadata to its charges (*unsure*: a charge without it is taken as not ours).
/// </summary>
public sealed record StripeChargeEvent(string? Id, string? MetadataPaymentId, string? PaymentIntent, long? Amount, long? AmountRefunded, string? Currency)
{
    public static bool TryRead(JsonElement root, out StripeChargeEvent charge, out string problem)
    {
        charge = new StripeChargeEvent(null, null, null, null, null, null);
        problem = string.Empty;
        if (!StripeSessionEvent.Member(root, "data", JsonValueKind.Object, "data", ref problem, out var data) || data is not { } dataObject
            || !StripeSessionEvent.Member(dataObject, "object", JsonValueKind.Object, "data.object", ref problem, out var found) || found is not { } obj)
        {
            problem = problem.Length > 0 ? problem : "The event has no data.object (not a charge?).";
            return false;
        }

        string? paymentId = null;
        if (!StripeSessionEvent.Member(obj, "metadata", JsonValueKind.Object, "data.object.metadata", ref problem, out var metadata)
            || (metadata is { } m && !StripeSessionEvent.Text(m, "payment_id", "data.object.metadata.payment_id", ref problem, out paymentId))
            || !StripeSessionEvent.Text(obj, "id", "data.object.id", ref problem, out var id)
            || !StripeSessionEvent.Text(obj, "payment_intent", "data.object.payment_intent", ref problem, out var paymentIntent)
            || !StripeSessionEvent.Text(obj, "currency", "data.object.currency", ref problem, out var currency)
            || !Units(obj, "amount", ref problem, out var amount)
            || !Units(obj, "amount_refunded", ref problem, out var refunded))
        {
            return false;
        }

        charge = new StripeChargeEvent(id, paymentId, paymentIntent, amount, refunded, currency);
        return true;
    }

    private static bool Units(JsonElement obj, string name, ref string problem, out long? units)
    {
        units = null;
        if (!StripeSessionEvent.Member(obj, name, JsonValueKind.Number, "data.object." + name, ref problem, out var number))
        {
            return false;
        }

        if (number is { } n)
        {
            if (!n.TryGetInt64(out var value))
            {
                problem = $"Field data.object.{name} is not a whole number of minor units; not applied.";
                return false;
            }

            units = value;
        }

        return true;
    }
}
