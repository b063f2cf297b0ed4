using System.Globalization;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Identity;
using Marketplace.Core.Text;

namespace Marketplace.Core.Orders;

/// <summary>A receipt as issued: the JSON text exactly as signed, its signature, and the balance it states.</summary>
public sealed record SignedReceipt(string Json, string Signature, long BalanceAfterUnits);

/// <summary>
/// Writes receipts once, field by field in a fixed order, and signs those exact bytes. Nobody re-serialises
/// a receipt afterwards: it is stored and served as this string, so the signature keeps matching.
/// </summary>
public sealed class Receipts(ReceiptSigner signer)
{
    public SignedReceipt ForPurchase(PurchaseFacts facts, string intentSha256, long balanceAfterUnits, DateTime issuedAt)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var json = Write(w =>
        {
            w.WriteString("order_id", facts.OrderId.ToString("D"));
            w.WriteString("action", "spend");
            w.WriteString("kind", WireName.Of(facts.Kind));
            w.WriteString("status", WireName.Of(facts.Kind == OrderKind.Service ? OrderStatus.AwaitingDelivery : OrderStatus.Completed));
            w.WriteString("intent_sha256", intentSha256);
            w.WriteString("amount", new Credits(facts.TotalUnits).ToDecimalString());
            w.WriteString("currency", Credits.Code);
            w.WriteString("buyer_id", facts.BuyerId.ToString("D"));
            w.WriteString("seller_id", facts.SellerId.ToString("D"));
            w.WriteString("product_id", facts.ProductId.ToString("D"));
            w.WriteNumber("quantity", facts.Quantity);
            w.WriteString("new_balance", new Credits(balanceAfterUnits).ToDecimalString());
            w.WriteString("issued_at", Timestamp(issuedAt));
        });
        return new SignedReceipt(json, signer.Sign(json), balanceAfterUnits);
    }

    public SignedReceipt ForTransfer(Guid orderId, string intentSha256, long amountUnits, Guid senderId, Guid recipientId, string recipientEmail, long balanceAfterUnits, DateTime issuedAt)
    {
        var json = Write(w =>
        {
            w.WriteString("order_id", orderId.ToString("D"));
            w.WriteString("action", "transfer");
            w.WriteString("kind", WireName.Of(OrderKind.Transfer));
            w.WriteString("status", WireName.Of(OrderStatus.Completed));
            w.WriteString("intent_sha256", intentSha256);
            w.WriteString("amount", new Credits(amountUnits).ToDecimalString());
            w.WriteString("currency", Credits.Code);
            w.WriteString("sender_id", senderId.ToString("D"));
            w.WriteString("recipient_id", recipientId.ToString("D"));
            w.WriteString("recipient", recipientEmail);
            w.WriteString("new_balance", new Credits(balanceAfterUnits).ToDecimalString());
            w.WriteString("issued_at", Timestamp(issuedAt));
        });
        return new SignedReceipt(json, signer.Sign(json), balanceAfterUnits);
    }

    /// <summary>ISO 8601 UTC with milliseconds, e.g. 2026-11-22T12:00:00.000Z.</summary>
    public static string Timestamp(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Write(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
