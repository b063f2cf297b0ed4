using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Identity;
using Marketplace.Core.Text;

namespace Marketplace.Core.Orders;

/// <summary>
/// What the browser signed, parsed strictly: every field present with its exact type, nothing unknown,
/// nothing twice (two parsers must never disagree about what a signed object says).
/// </summary>
public abstract record SignedIntent(string Text, long AmountUnits, string Currency, long TimestampMs, string Nonce, string Audience)
{
    public const int MaxQuantity = 1000;
    public const int MinNonceLength = 22;
    public const int MinNonceBytes = 16;
    public const int MaxAudienceLength = 200;

    private static readonly string[] Common = ["action", "amount", "currency", "timestamp", "nonce", "audience"];
    private static readonly string[] SpendFields = [.. Common, "product_id", "quantity"];
    private static readonly string[] TransferFields = [.. Common, "recipient"];

    /// <summary>Hex SHA-256 of the exact UTF-8 bytes that were signed.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    public Credits Amount => new(AmountUnits);

    public static (SignedIntent? Intent, PurchaseResult.Malformed? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Checked before anything reads a string out of it: the parser would throw on an unpaired surrogate.
        if (JsonText.Check(text) == JsonTextCheck.NotUnicode)
        {
            return Fail("malformed_json", "intent", "The intent is not valid Unicode text (an unpaired surrogate such as \\ud800 is not a character).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException)
        {
            return Fail("malformed_intent", "intent", "The intent is not valid JSON.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Fail("malformed_intent", "intent", "The intent must be a JSON object.");
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!fields.TryAdd(property.Name, property.Value))
                {
                    return Fail("malformed_intent", property.Name, $"The intent names '{property.Name}' more than once.");
                }
            }

            return ParseFields(text, fields);
        }
    }

    private static (SignedIntent?, PurchaseResult.Malformed?) ParseFields(string text, Dictionary<string, JsonElement> fields)
    {
        var action = fields.TryGetValue("action", out var actionElement) && actionElement.ValueKind == JsonValueKind.String ? actionElement.GetString() : null;
        var expected = action switch
        {
            "spend" => SpendFields,
            "transfer" => TransferFields,
            _ => null,
        };
        if (expected is null)
        {
            return Fail("invalid_action", "action", "action must be \"spend\" or \"transfer\".");
        }

        if (fields.Keys.FirstOrDefault(k => !expected.Contains(k)) is { } unknown)
        {
            return Fail("malformed_intent", unknown, $"A {action} intent has no field '{unknown}'.");
        }

        if (expected.FirstOrDefault(k => !fields.ContainsKey(k)) is { } missing)
        {
            return Fail("missing_field", missing, $"The intent needs '{missing}'.");
        }

        if (String(fields, "amount") is not { } amountText || !TryParseCanonicalAmount(amountText, out var amountUnits))
        {
            return Fail("invalid_amount", "amount", "amount must be a positive decimal string with two decimals, such as \"12.50\".");
        }

        if (String(fields, "currency") is not { Length: > 0 and <= 3 } currency)
        {
            return Fail("invalid_currency", "currency", "currency must be a currency code such as \"MC\".");
        }

        if (fields["timestamp"].ValueKind != JsonValueKind.Number || !fields["timestamp"].TryGetInt64(out var timestamp) || timestamp <= 0)
        {
            return Fail("invalid_timestamp", "timestamp", "timestamp must be a whole number of milliseconds since 1970 (UTC).");
        }

        if (String(fields, "nonce") is not { } nonce || !IsNonce(nonce))
        {
            return Fail("invalid_nonce", "nonce", $"nonce must be {MinNonceLength} to {Order.MaxNonceLength} base64url characters carrying at least 128 random bits.");
        }

        if (String(fields, "audience") is not { Length: > 0 and <= MaxAudienceLength } audience)
        {
            return Fail("invalid_audience", "audience", "audience must be the site's origin, such as \"https://shop.example.com\".");
        }

        if (action == "transfer")
        {
            return String(fields, "recipient") is { Length: > 0 and <= Identity.User.MaxEmailLength } recipient
                ? (new TransferIntent(text, amountUnits, currency, timestamp, nonce, audience, recipient), null)
                : Fail("invalid_recipient", "recipient", "recipient must be the email address of the person to pay.");
        }

        if (String(fields, "product_id") is not { } productText || !Guid.TryParseExact(productText, "D", out var productId))
        {
            return Fail("invalid_product_id", "product_id", "product_id must be a product id such as \"9d0d0c7a-0000-4000-8000-000000000001\".");
        }

        var quantity = fields["quantity"];
        if (quantity.ValueKind != JsonValueKind.Number || !quantity.TryGetInt32(out var count) || count is < 1 or > MaxQuantity)
        {
            return Fail("invalid_quantity", "quantity", $"quantity must be a whole number from 1 to {MaxQuantity}.");
        }

        return (new SpendIntent(text, amountUnits, currency, timestamp, nonce, audience, productId, count), null);
    }

    /// <summary>Exactly the form the server writes amounts in ("12.50"): no grouping, no sign, two decimals, above zero.</summary>
    public static bool TryParseCanonicalAmount(string text, out long units)
    {
        units = 0;
        if (Credits.TryParse(text, out var credits) != AmountParse.Ok || credits.Units <= 0 || credits.ToDecimalString() != text)
        {
            return false;
        }

        units = credits.Units;
        return true;
    }

    private static bool IsNonce(string nonce) =>
        nonce.Length is >= MinNonceLength and <= Order.MaxNonceLength
        && StrictBase64Url.TryDecode(nonce, out var bytes)
        && bytes.Length >= MinNonceBytes;

    private static string? String(Dictionary<string, JsonElement> fields, string name) =>
        fields[name].ValueKind == JsonValueKind.String ? fields[name].GetString() : null;

    private static (SignedIntent?, PurchaseResult.Malformed?) Fail(string code, string field, string message) =>
        (null, new PurchaseResult.Malformed(code, field, message));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{GetType().Name} {Nonce}");
}

public sealed record SpendIntent(string Text, long AmountUnits, string Currency, long TimestampMs, string Nonce, string Audience, Guid ProductId, int Quantity)
    : SignedIntent(Text, AmountUnits, Currency, TimestampMs, Nonce, Audience);

public sealed record TransferIntent(string Text, long AmountUnits, string Currency, long TimestampMs, string Nonce, string Audience, string Recipient)
    : SignedIntent(Text, AmountUnits, Currency, TimestampMs, Nonce, Audience);
