using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Testing;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Payments.ClickPesa;

namespace Marketplace.Web.Tests.Hostile;

/// <summary>
/// Who sends a request: nobody, the shopper, the admin; with the antiforgery token (the CSRF header, or for a page
/// form its field) or without it, as a cross-site form would.
/// </summary>
public enum Sender
{
    Anonymous,
    AnonymousWithCsrf,
    Shopper,
    ShopperWithoutCsrf,
    Admin,
    AdminWithoutCsrf,
}

/// <summary>One generated request, and the family of damage it carries (for the failure message).</summary>
public sealed record HostileRequest(string Path, Sender Sender, byte[]? Body, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Family)
{
    /// <summary>The endpoint's name (its route pattern), for counting what was covered.</summary>
    public string Endpoint { get; init; } = string.Empty;

    /// <summary>False for the share sent by someone a gate (sign-in, role, antiforgery) must stop before the handler.</summary>
    public bool PassesGates { get; init; } = true;

    public override string ToString()
    {
        var body = Body is null ? "(no body)" : Body.Length > 300 ? $"{Body.Length} bytes: {Encoding.UTF8.GetString(Body, 0, 300)}…" : Encoding.UTF8.GetString(Body);
        return $"POST {Path} as {Sender} [{Family}] {ContentType ?? "(no content type)"} {body}";
    }
}

/// <summary>
/// A seeded generator of requests that must all be refused: for every POST endpoint (webhooks and page forms included),
/// bodies that are truncated, nested too deep, of the wrong JSON types, with huge, negative, NaN, 1e400 or 20-decimal
/// amounts, duplicate keys, lone surrogates, bytes that are not UTF-8, the wrong content type, multipart garbage, or too
/// large. Ids in paths are real ones (someone else's, or one a bad body must not touch) or nonsense. Every body is broken
/// in a way no endpoint accepts, so nothing may change. Most requests come from someone the endpoint lets in (signed in,
/// the right role, the antiforgery token), so the damage reaches the handler; one in <see cref="GateShare"/> comes from
/// someone a gate must stop.
/// </summary>
public sealed class HostileRequests(HostileApp app, int seed)
{
    public const int GateShare = 8;

    private static readonly string[] BadIds = ["00000000-0000-0000-0000-000000000000", "not-an-id", "-1", "0", "999999999999999999999999", "%25", "%F0%9F%98%80", "..%2F..%2Fetc", new string('9', 300), "\u00e9t\u00e9"];

    private static readonly string[] BadAmounts =
    [
        "-5.00", "-0.01", "0", "0.00", "NaN", "nan", "Infinity", "-Infinity", "1e400", "1E3", "0.00000000000000000001", "12.345",
        "99999999999999999999999", "999999999999999.99", "1000000.01", "9223372036854775807", "-9223372036854775808", "", " ", "1,00", "12.5.0",
        "0x10", "½", "١٢", "12\u00a0000", "+", "--5", "1_000",
    ];

    private static readonly string[] Families =
    [
        "truncated", "deep", "wrong_type", "bad_number", "bad_number", "duplicate_keys", "lone_surrogate", "invalid_utf8",
        "content_type", "multipart", "oversized", "empty", "random_bytes", "not_an_object",
    ];

    private readonly Random _random = new(seed);

    /// <summary>
    /// Endpoints, each with the paths to aim at, who sends, and the fields of a body of its shape; each as often as its
    /// weight. A page re-rendered with its error costs several API calls' time, so page forms get half an API's share.
    /// </summary>
    private IReadOnlyList<Endpoint> Endpoints => _endpoints ??= [.. Build().SelectMany(e => Enumerable.Repeat(e, e.Kind == EndpointKind.Page ? 1 : 2))];

    private IReadOnlyList<Endpoint>? _endpoints;

    public HostileRequest Next()
    {
        var endpoint = Pick(Endpoints);
        var path = endpoint.NextPath();
        var passesGates = endpoint.Stopped.Length == 0 || (endpoint.Allowed.Length > 0 && _random.Next(GateShare) != 0);
        var sender = passesGates ? Pick(endpoint.Allowed) : Pick(endpoint.Stopped);
        var request = endpoint.Kind switch
        {
            EndpointKind.Stripe => Stripe(path),
            EndpointKind.ClickPesa => ClickPesa(path),
            EndpointKind.Page => Page(path, sender),
            _ => Api(endpoint, path, sender),
        };
        return request with { Endpoint = endpoint.Name, PassesGates = passesGates };
    }

    private HostileRequest Api(Endpoint endpoint, string path, Sender sender)
    {
        var family = Pick(Families);
        if (family == "bad_number" && endpoint.AmountField is null)
        {
            family = "wrong_type";
        }

        if (endpoint.Name == TransactPath && _random.Next(3) == 0)
        {
            return Json(path, sender, Transact(), "broken_intent");
        }

        var template = endpoint.Template();
        var field = Pick(endpoint.Fields);
        return family switch
        {
            "truncated" => Raw(path, sender, Truncate(template.ToJsonString()), "application/json", family),
            "deep" => Raw(path, sender, Deep(template, field, _random.Next(65, 5000)), "application/json", family),
            "wrong_type" => Json(path, sender, With(template, field, WrongType(endpoint.IsBool(field))), family),
            "bad_number" => Json(path, sender, With(template, endpoint.AmountField!, BadNumber(endpoint.NegativeAllowed)), family),
            "duplicate_keys" => Raw(path, sender, DuplicateKey(template, field), "application/json", family),
            "lone_surrogate" => Raw(path, sender, LoneSurrogate(template, field), "application/json", family),
            "invalid_utf8" => Bytes(path, sender, InvalidUtf8(template, field), "application/json", family),
            "content_type" => Raw(path, sender, template.ToJsonString(), Pick(["text/plain", "application/xml", "application/x-www-form-urlencoded", "text/json;charset=utf-7", null]), family),
            "multipart" => Multipart(path, sender),
            "oversized" => Raw(path, sender, With(template, field, new string('a', (17 * 1024) + _random.Next(300 * 1024))).ToJsonString(), "application/json", family),
            "empty" => Raw(path, sender, string.Empty, Pick(["application/json", null]), family),
            "random_bytes" => Bytes(path, sender, RandomBytes(), Pick(["application/json", "application/octet-stream"]), family),
            _ => Raw(path, sender, Pick(["[]", "[{}]", "\"text\"", "42", "null", "true", "-1e400", "{", "}", "{}}", "{\"a\":1}x", "/* c */{}"]), "application/json", family),
        };
    }

    // A signed intent the server parses before it checks the signature: damaged, and signed with nobody's key.
    private JsonObject Transact()
    {
        var intent = Pick(new Func<string>[]
        {
            () => Truncate(Intents.Spend(Intents.IconPack, "12.50")),
            () => Intents.Spend(Intents.IconPack, "12.50").Replace("\"nonce\":\"", "\"nonce\":\"\\ud800", StringComparison.Ordinal),
            () => Intents.Spend(Intents.IconPack, "12.50").Replace("\"quantity\":1", "\"quantity\":1e400", StringComparison.Ordinal),
            () => Intents.Spend(Intents.IconPack, "12.50").Replace("\"amount\":\"12.50\"", $"\"amount\":\"{Pick(BadAmounts)}\"", StringComparison.Ordinal),
            () => Intents.Spend(Intents.IconPack, "12.50").Replace("{", "{\"amount\":\"0.01\",", StringComparison.Ordinal),
            () => Intents.Transfer("someone@example.test", Pick(BadAmounts)),
            () => Nested(200).ToJsonString(),
            () => Intents.Spend(Intents.IconPack, "12.50").Replace("\"timestamp\":", "\"timestamp\":-", StringComparison.Ordinal),
        })();
        return new JsonObject
        {
            ["intent"] = intent,
            ["public_key"] = Pick([app.Shopper.User.PublicKey, Base64Url(32), Base64Url(31), "!!", string.Empty]),
            ["signature"] = Pick([Base64Url(64), Base64Url(63), "AAAA", string.Empty]),
        };
    }

    // Signed with the real secret or not at all; either way not an event that could be stored.
    private HostileRequest Stripe(string path)
    {
        var family = Pick(["unsigned", "bad_signature", "signed_garbage", "signed_lone_surrogate", "signed_invalid_utf8", "signed_no_id", "signed_long_id", "stale_signature", "oversized"]);
        var evt = new JsonObject { ["id"] = "evt_" + Base64Url(12), ["object"] = "event", ["type"] = "checkout.session.completed", ["data"] = new JsonObject { ["object"] = new JsonObject { ["metadata"] = new JsonObject { ["payment_id"] = Pick(app.PaymentIds) } } } };
        byte[] body = family switch
        {
            "signed_garbage" => Encoding.UTF8.GetBytes(Pick([Truncate(evt.ToJsonString()), "[]", "null", "\"evt\"", Nested(100).ToJsonString(), "{\"id\":1,\"type\":\"x\"}"])),
            "signed_lone_surrogate" => Encoding.UTF8.GetBytes(evt.ToJsonString().Replace("evt_", "evt_\\udc00", StringComparison.Ordinal)),
            "signed_invalid_utf8" => [.. "{\"id\":\"evt_"u8, 0xC3, 0x28, .. "\",\"type\":\"checkout.session.completed\"}"u8],
            "signed_no_id" => Encoding.UTF8.GetBytes(With(evt, "id", WrongType(boolField: false)).ToJsonString()),
            "signed_long_id" => Encoding.UTF8.GetBytes(With(evt, "id", "evt_" + new string('x', 300)).ToJsonString()),
            "oversized" => Encoding.UTF8.GetBytes(With(evt, "type", new string('x', 300 * 1024)).ToJsonString()),
            _ => Encoding.UTF8.GetBytes(evt.ToJsonString()),
        };
        var headers = new Dictionary<string, string>();
        var now = DateTimeOffset.UtcNow;
        switch (family)
        {
            case "unsigned" or "oversized":
                break;
            case "bad_signature":
                headers[FakeStripe.SignatureHeader] = Pick([FakeStripe.Sign(body, "whsec_other", now), "t=abc,v1=00", "v1=" + new string('0', 64), "t=1,t=2,v1=00", string.Empty, "t=" + now.ToUnixTimeSeconds() + ",v1=" + new string('z', 64)]);
                break;
            case "stale_signature":
                headers[FakeStripe.SignatureHeader] = FakeStripe.Sign(body, FakeStripe.WebhookSecret, now.AddHours(-2));
                break;
            default:
                headers[FakeStripe.SignatureHeader] = FakeStripe.Sign(body, FakeStripe.WebhookSecret, now);
                break;
        }

        return new HostileRequest(path, Sender.Anonymous, body, Pick(["application/json", "text/plain", null]), headers, "stripe_" + family);
    }

    // ClickPesa signs with a checksum inside the body: wrong or missing, or right over something that is not a storable payment event.
    private HostileRequest ClickPesa(string path)
    {
        var family = Pick(["no_checksum", "wrong_checksum", "lone_surrogate", "invalid_utf8", "garbage", "deep", "checksummed_long_id", "checksummed_payout", "oversized"]);
        var payload = new JsonObject
        {
            ["event"] = "PAYMENT RECEIVED",
            ["data"] = new JsonObject { ["id"] = "LWK" + Base64Url(6), ["status"] = "SUCCESS", ["orderReference"] = "MC" + Convert.ToHexString(RandomNumberGenerator.GetBytes(9)), ["collectedAmount"] = Pick(BadAmounts), ["collectedCurrency"] = "TZS" },
        };
        string text;
        switch (family)
        {
            case "no_checksum":
                text = payload.ToJsonString();
                break;
            case "wrong_checksum":
                payload["checksum"] = Pick([new string('0', 64), "x", string.Empty]);
                text = payload.ToJsonString();
                break;
            case "lone_surrogate":
                text = payload.ToJsonString().Replace("SUCCESS", "SUCCESS\\ud800", StringComparison.Ordinal);
                break;
            case "invalid_utf8":
                return new HostileRequest(path, Sender.Anonymous, [.. "{\"event\":\"PAYMENT RECEIVED\",\"data\":{\"orderReference\":\"MC"u8, 0xFF, 0xFE, .. "\"}}"u8], "application/json", new Dictionary<string, string>(), "clickpesa_" + family);
            case "garbage":
                text = Pick([Truncate(payload.ToJsonString()), "[]", "null", "{\"event\":", "\"x\""]);
                break;
            case "deep":
                text = With(payload, "data", Nested(_random.Next(65, 500))).ToJsonString();
                break;
            case "checksummed_long_id":
                payload["data"]!["id"] = new string('7', 300);
                payload["checksum"] = FakeClickPesa.Checksum(FakeClickPesa.ChecksumKey, payload);
                text = payload.ToJsonString();
                break;
            case "checksummed_payout":
                payload["event"] = "PAYOUT INITIATED";
                payload["checksum"] = FakeClickPesa.Checksum(FakeClickPesa.ChecksumKey, payload);
                text = payload.ToJsonString();
                break;
            default:
                text = With(payload, "event", new string('x', 300 * 1024)).ToJsonString();
                break;
        }

        return new HostileRequest(path, Sender.Anonymous, Encoding.UTF8.GetBytes(text), Pick(["application/json", null]), new Dictionary<string, string>(), "clickpesa_" + family);
    }

    // Page forms without their antiforgery token (a cross-site post), with any body.
    private HostileRequest Page(string path, Sender sender)
    {
        var family = Pick(["form", "multipart", "json", "random_bytes", "oversized_form"]);
        return family switch
        {
            "multipart" => Multipart(path, sender) with { Family = "page_multipart" },
            "json" => Raw(path, sender, "{\"amount\":\"1e400\"}", "application/json", "page_json"),
            "random_bytes" => Bytes(path, sender, RandomBytes(), "application/x-www-form-urlencoded", "page_random_bytes"),
            "oversized_form" => Raw(path, sender, "amount=" + new string('9', 70 * 1024), "application/x-www-form-urlencoded", "page_oversized_form"),
            _ => Raw(path, sender, $"amount={Uri.EscapeDataString(Pick(BadAmounts))}&currency=USD&gateway=demo&title=%00&price={Uri.EscapeDataString(Pick(BadAmounts))}&kind=2&reason=&received_amount=-1&note=&orderId={Pick(BadIds)}&card_number=4000&__RequestVerificationToken={Base64Url(20)}", "application/x-www-form-urlencoded", "page_form"),
        };
    }

    private HostileRequest Multipart(string path, Sender sender)
    {
        var boundary = Pick(["xyz", "----b", new string('-', 80), "\"quoted\""]);
        var body = Pick(["garbage", $"--{boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue", $"--{boundary}--", $"--{boundary}\r\n\r\n{new string('x', 5000)}", string.Empty]);
        return Raw(path, sender, body, $"multipart/form-data; boundary={boundary}", "multipart");
    }

    private const string TransactPath = "/api/wallet/transact";

    private List<Endpoint> Build()
    {
        // Endpoints that act on the id alone (no body to refuse) are only aimed at ids they must refuse: someone else's
        // payment, a payment that cannot be cancelled, an order the shopper did not sell, users whose role is already
        // what the form asks for (or who cannot have it), a webhook row that is not waiting.
        var someoneElsesPayment = app.PaymentIds[1];
        var notCancellable = app.PaymentIds[0];
        var shopperDemoPayment = app.PaymentIds[0];
        JsonObject Body(params (string Name, JsonNode? Value)[] fields) => new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        Sender[] shopper = [Sender.Shopper];
        Sender[] admin = [Sender.Admin];
        Sender[] anonymous = [Sender.AnonymousWithCsrf];
        Sender[] notSignedIn = [Sender.Anonymous, Sender.AnonymousWithCsrf];
        return
        [
            new("/api/auth/challenge", EndpointKind.Api, [Sender.AnonymousWithCsrf, Sender.Shopper], [Sender.Anonymous, Sender.ShopperWithoutCsrf], () => Body(("email", "a@example.test"), ("purpose", Pick(["login", "register", "recover", "recovery_key"])), ("public_key", Base64Url(32))), ["email", "purpose", "public_key"]),
            new("/api/auth/register", EndpointKind.Api, [Sender.AnonymousWithCsrf, Sender.Shopper], [Sender.Anonymous], () => Body(("email", $"{Guid.NewGuid():N}@example.test"), ("display_name", "Hostile"), ("public_key", Base64Url(32)), ("challenge", Base64Url(32)), ("signature", Base64Url(64))), ["email", "display_name", "public_key", "challenge", "signature"]),
            new("/api/auth/login", EndpointKind.Api, anonymous, [Sender.Anonymous, Sender.ShopperWithoutCsrf], () => Body(("email", app.Shopper.User.Email), ("challenge", Base64Url(32)), ("signature", Base64Url(64))), ["email", "challenge", "signature"]),
            new("/api/auth/recover", EndpointKind.Api, anonymous, [Sender.Anonymous], () => Body(("email", app.Shopper.User.Email), ("public_key", Base64Url(32)), ("challenge", "recover." + Base64Url(32)), ("signature", Base64Url(64))), ["email", "public_key", "challenge", "signature"]),
            // Only someone signed out: a shopper's logout would end the session the rest of the run uses.
            new("/api/auth/logout", EndpointKind.Api, anonymous, [Sender.Anonymous], () => Body(("x", 1)), ["x"]),
            new("/api/account/recovery-key", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.AnonymousWithCsrf], () => Body(("public_key", Base64Url(32)), ("challenge", "recovery-key." + Base64Url(32)), ("signature", Base64Url(64)), ("recovery_signature", Base64Url(64))), ["public_key", "challenge", "signature", "recovery_signature"]),
            new("/api/account/sessions/{id}/end", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.AnonymousWithCsrf], () => Body(("x", 1)), ["x"], PathFor: () => $"/api/account/sessions/{Pick([Guid.NewGuid().ToString(), .. BadIds])}/end"),
            // The shopper has one session, so "log out everywhere else" ends nothing.
            new("/api/account/sessions/end-others", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.AnonymousWithCsrf], () => Body(("x", 1)), ["x"]),
            // The shopper's email is verified, so a resend is refused (already verified) and nothing is mailed.
            new("/api/account/email/resend", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.AnonymousWithCsrf], () => Body(("x", 1)), ["x"]),
            new("/api/account/email/verify", EndpointKind.Api, [Sender.AnonymousWithCsrf, Sender.Shopper], [Sender.Anonymous], () => Body(("token", Base64Url(32))), ["token"]),
            new(TransactPath, EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.Anonymous], () => Body(("intent", Intents.Spend(Intents.IconPack, "12.50")), ("public_key", app.Shopper.User.PublicKey), ("signature", Base64Url(64))), ["intent", "public_key", "signature"]),
            new("/api/payments/initiate", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.Anonymous], () => Body(("amount", "25.00"), ("currency", Pick(["USD", "EUR", "TZS"])), ("gateway", Pick(["demo", "stripe", "clickpesa", "bank"]))), ["amount", "currency", "gateway", "package_id"], AmountField: "amount"),
            // The package shape: real package ids, so only the damage keeps a payment from being created.
            new("/api/payments/initiate (package)", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.Anonymous], () => Body(("package_id", Pick(["starter", "popular", "plus", "mega"])), ("currency", Pick(["USD", "EUR", "TZS"])), ("gateway", Pick(["demo", "stripe", "clickpesa", "bank"]))), ["package_id", "currency", "gateway", "amount"], AmountField: "amount", PathFor: () => "/api/payments/initiate"),
            new("/api/payments/{id}/cancel", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.Anonymous], () => Body(("reason", "x")), ["reason"], PathFor: () => $"/api/payments/{Pick([someoneElsesPayment, notCancellable, .. BadIds])}/cancel"),
            new("/api/seller/orders/{id}/deliver", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.Anonymous], () => Body(("amount", "5.00")), ["amount"], AmountField: "amount", PathFor: () => $"/api/seller/orders/{Pick([.. app.OrderIds, .. BadIds])}/deliver"),
            new("/api/seller/orders/{id}/cancel", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.Anonymous], () => Body(("x", 1)), ["x"], PathFor: () => $"/api/seller/orders/{Pick([.. app.OrderIds, .. BadIds])}/cancel"),
            // Listing takes a form; the damage (JSON of any shape, broken multipart, bytes) never makes one that lists.
            new("/api/seller/products", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.Anonymous], () => Body(("title", "Hostile"), ("description", "x"), ("price", "5.00"), ("kind", "digital"), ("licence", "x")), ["title", "description", "price", "kind", "licence"], AmountField: "price"),
            // Aimed at products that are not the shopper's (the seeded catalog's) or at nonsense: never found.
            new("/api/seller/products/{id}", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.Anonymous], () => Body(("price", "0.01"), ("remove_file", true)), ["price", "title", "licence", "remove_file"], AmountField: "price", BoolFieldNames: ["remove_file"], PathFor: () => $"/api/seller/products/{Pick([Intents.IconPack.ToString(), .. BadIds])}"),
            new("/api/seller/products/{id}/withdraw|relist", EndpointKind.Api, shopper, [Sender.ShopperWithoutCsrf, Sender.Anonymous], () => Body(("x", 1)), ["x"], PathFor: () => $"/api/seller/products/{Pick([Intents.IconPack.ToString(), .. BadIds])}/{Pick(["withdraw", "relist"])}"),
            new("/api/admin/payments/{id}/confirm", EndpointKind.Api, admin, [Sender.Shopper, Sender.AdminWithoutCsrf, Sender.Anonymous], () => Body(("received_amount", "1000.00"), ("note", "hostile")), ["received_amount", "note"], AmountField: "received_amount", PathFor: () => $"/api/admin/payments/{Pick([.. app.PaymentIds, .. BadIds])}/confirm"),
            new("/api/admin/payments/{id}/reject", EndpointKind.Api, admin, [Sender.Shopper, Sender.AdminWithoutCsrf, Sender.Anonymous], () => Body(("reason", "hostile")), ["reason"], PathFor: () => $"/api/admin/payments/{Pick([.. app.PaymentIds, .. BadIds])}/reject"),
            new("/api/admin/users/{id}/adjust", EndpointKind.Api, admin, [Sender.Shopper, Sender.AdminWithoutCsrf, Sender.Anonymous], () => Body(("amount", "25.00"), ("reason", "hostile"), ("idempotency_key", Base64Url(12))), ["amount", "reason", "idempotency_key"], AmountField: "amount", NegativeAllowed: true, PathFor: () => $"/api/admin/users/{Pick([.. app.UserIds, .. BadIds])}/adjust"),
            new("/api/admin/orders/{id}/refund", EndpointKind.Api, admin, [Sender.Shopper, Sender.AdminWithoutCsrf, Sender.Anonymous], () => Body(("reason", "hostile"), ("seller_share_from_adjustments", false)), ["reason", "seller_share_from_adjustments"], BoolFieldNames: ["seller_share_from_adjustments"], PathFor: () => $"/api/admin/orders/{Pick([.. app.OrderIds, .. BadIds])}/refund"),
            new("/api/admin/webhooks/{id}/credit", EndpointKind.Api, admin, [Sender.Shopper, Sender.AdminWithoutCsrf, Sender.Anonymous], () => Body(("reason", "hostile")), ["reason"], PathFor: () => $"/api/admin/webhooks/{Pick([.. app.WebhookIds, .. BadIds])}/credit"),
            // Only the gates: an admin's run (which reads no body) would add a reconciliation run.
            new("/api/admin/reconciliation/run", EndpointKind.Api, [], [Sender.Shopper, Sender.AdminWithoutCsrf, Sender.Anonymous, Sender.ShopperWithoutCsrf], () => Body(("x", 1)), ["x"]),
            new("/api/webhooks/stripe", EndpointKind.Stripe, [Sender.Anonymous], [], () => [], []),
            new("/api/webhooks/clickpesa", EndpointKind.ClickPesa, [Sender.Anonymous], [], () => [], []),
            new("/Wallet?handler=BuyCredits", EndpointKind.Page, shopper, [Sender.ShopperWithoutCsrf, .. notSignedIn], () => [], []),
            new("/Seller?handler=List", EndpointKind.Page, shopper, [Sender.ShopperWithoutCsrf, .. notSignedIn], () => [], []),
            new("/Seller?handler=Deliver|Cancel", EndpointKind.Page, shopper, [Sender.ShopperWithoutCsrf, .. notSignedIn], () => [], [], PathFor: () => $"/Seller?handler={Pick(["Deliver", "Cancel"])}&id={Pick([.. app.OrderIds, .. BadIds])}"),
            new("/Seller/Products/{id}?handler=Edit|Withdraw|Relist", EndpointKind.Page, shopper, [Sender.ShopperWithoutCsrf, .. notSignedIn], () => [], [], PathFor: () => $"/Seller/Products/{Pick([Intents.IconPack.ToString(), Guid.NewGuid().ToString()])}?handler={Pick(["Edit", "Withdraw", "Relist"])}"),
            new("/payments/bank/{id}?handler=Cancel", EndpointKind.Page, shopper, [Sender.ShopperWithoutCsrf, .. notSignedIn], () => [], [], PathFor: () => $"/payments/bank/{someoneElsesPayment}?handler=Cancel"),
            new("/payments/demo/{id}", EndpointKind.Page, shopper, [Sender.ShopperWithoutCsrf, .. notSignedIn], () => [], [], PathFor: () => $"/payments/demo/{Pick([shopperDemoPayment, someoneElsesPayment])}"),
            new("/Account?handler=Resend|End|EndOthers", EndpointKind.Page, shopper, [Sender.ShopperWithoutCsrf, .. notSignedIn], () => [], [], PathFor: () => Pick(["/Account?handler=Resend", "/Account?handler=EndOthers", $"/Account?handler=End&id={Pick([Guid.NewGuid().ToString(), .. BadIds])}"])),
            new("/Account/Verify", EndpointKind.Page, [Sender.AnonymousWithCsrf, Sender.Shopper], [Sender.Anonymous, Sender.ShopperWithoutCsrf], () => [], [], PathFor: () => Pick(["/Account/Verify", $"/Account/Verify?token={Base64Url(32)}"])),
            // Only cross-site: with its token a logout would end the session the rest of the run uses.
            new("/Account/Logout", EndpointKind.Page, [], [Sender.ShopperWithoutCsrf, Sender.AdminWithoutCsrf, Sender.Anonymous], () => [], []),
            new("/Admin/BankTransfers?handler=Confirm|Reject", EndpointKind.Page, admin, [Sender.AdminWithoutCsrf, Sender.Shopper, Sender.Anonymous], () => [], [], PathFor: () => $"/Admin/BankTransfers?handler={Pick(["Confirm", "Reject"])}&id={Pick([.. app.PaymentIds, .. BadIds])}"),
            new("/Admin/Webhooks?handler=Credit|Retry", EndpointKind.Page, admin, [Sender.AdminWithoutCsrf, Sender.Shopper, Sender.Anonymous], () => [], [], PathFor: () => Pick([$"/Admin/Webhooks?handler=Credit&id={Pick([.. app.WebhookIds, .. BadIds])}", $"/Admin/Webhooks?handler=Retry&id={Pick(BadIds)}"])),
            new("/Admin/Users/{id}?handler=Adjust|Refund", EndpointKind.Page, admin, [Sender.AdminWithoutCsrf, Sender.Shopper, Sender.Anonymous], () => [], [], PathFor: () => $"/Admin/Users/{Pick([.. app.UserIds, Guid.NewGuid().ToString()])}?handler={Pick(["Adjust", "Refund"])}"),
            new("/Admin/Users/{id}?handler=GrantAdmin|RevokeAdmin", EndpointKind.Page, admin, [Sender.AdminWithoutCsrf, Sender.Shopper, Sender.Anonymous], () => [], [], PathFor: () => Pick(
            [
                $"/Admin/Users/{Pick([app.AdminId, app.UnverifiedUserId, Guid.NewGuid().ToString()])}?handler=GrantAdmin",
                $"/Admin/Users/{Pick([app.ShopperId, app.UnverifiedUserId, Guid.NewGuid().ToString()])}?handler=RevokeAdmin",
            ])),
            // Only the gates: an admin's Run now would add a reconciliation run.
            new("/Admin/Reconciliation", EndpointKind.Page, [], [Sender.AdminWithoutCsrf, Sender.Shopper, Sender.Anonymous], () => [], []),
        ];
    }

    // An adjustment may debit: "-5.00" is a good amount there, so only amounts bad for every endpoint are sent to it.
    private JsonNode BadNumber(bool negativeAllowed) =>
        _random.Next(3) == 0
            ? JsonNode.Parse(Pick(["-5", "1e400", "-1e400", "0.00000000000000000001", "99999999999999999999999", "1.5", "9223372036854775808"]))!
            : JsonValue.Create(Pick(negativeAllowed ? BadSignedAmounts : BadAmounts));

    private static readonly string[] BadSignedAmounts = [.. BadAmounts.Where(a => a is not ("-5.00" or "-0.01"))];

    // Never null (a nullable field takes it) and never the field's own type.
    private JsonNode WrongType(bool boolField) =>
        JsonNode.Parse(Pick<string>(boolField ? ["\"yes\"", "1", "[]", "{}", "\"true\""] : ["42", "-1", "1.5", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":\"b\"}", "1e400"]))!;

    // Written as text: the serializer itself refuses to write past a depth of 1,000.
    private static string Deep(JsonObject template, string field, int depth) =>
        With(template, field, "MARK").ToJsonString().Replace("\"MARK\"", new string('[', depth) + "1" + new string(']', depth), StringComparison.Ordinal);

    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create(1);
        for (var i = 0; i < depth; i++)
        {
            node = new JsonArray(node);
        }

        return node;
    }

    private static JsonObject With(JsonObject template, string field, JsonNode? value)
    {
        var copy = template.DeepClone().AsObject();
        copy[field] = value;
        return copy;
    }

    private string Truncate(string json) => json[..Math.Max(1, _random.Next(json.Length))];

    // A field the template leaves out (an optional one) is written twice, so the key is duplicated either way.
    private static string DuplicateKey(JsonObject template, string field)
    {
        var json = template.ToJsonString();
        var value = template[field]?.ToJsonString() ?? "null";
        var twice = template.ContainsKey(field) ? 1 : 2;
        return json.Insert(1, string.Concat(Enumerable.Repeat($"\"{field}\":{value},", twice)));
    }

    // In a field's value, or as a key of its own; the field's value is made a string first so there is one to damage.
    private string LoneSurrogate(JsonObject template, string field)
    {
        var escape = Pick(["\\ud800", "\\udc00", "\\udbff\\udbff", "\\udfff\\ud800", "a\\ud800b"]);
        var json = With(template, field, "MARK").ToJsonString();
        return _random.Next(4) == 0 ? json.Insert(1, $"\"{escape}\":1,") : json.Replace("MARK", escape, StringComparison.Ordinal);
    }

    private byte[] InvalidUtf8(JsonObject template, string field)
    {
        byte[][] bad = [[0xFF, 0xFE], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]];
        var copy = With(template, field, "MARK").ToJsonString();
        var at = copy.IndexOf("MARK", StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(copy[..at]), .. Pick(bad), .. Encoding.UTF8.GetBytes(copy[(at + 4)..])];
    }

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(1, 2048)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string Base64Url(int bytes)
    {
        var buffer = new byte[bytes];
        _random.NextBytes(buffer);
        return Convert.ToBase64String(buffer).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static HostileRequest Json(string path, Sender sender, JsonObject body, string family) => Raw(path, sender, body.ToJsonString(), "application/json", family);

    private static HostileRequest Raw(string path, Sender sender, string body, string? contentType, string family) =>
        Bytes(path, sender, Encoding.UTF8.GetBytes(body), contentType, family);

    private static HostileRequest Bytes(string path, Sender sender, byte[] body, string? contentType, string family) =>
        new(path, sender, body, contentType, new Dictionary<string, string>(), family);

    private enum EndpointKind
    {
        Api,
        Stripe,
        ClickPesa,
        Page,
    }

    /// <summary>
    /// One POST endpoint: its name (the path, or a pattern), where to aim, who it lets in (<paramref name="Allowed"/>) and
    /// who a gate must stop (<paramref name="Stopped"/>), and a body of its shape.
    /// </summary>
    private sealed record Endpoint(string Name, EndpointKind Kind, Sender[] Allowed, Sender[] Stopped, Func<JsonObject> Template, string[] Fields, string? AmountField = null, string[]? BoolFieldNames = null, Func<string>? PathFor = null, bool NegativeAllowed = false)
    {
        public bool IsBool(string field) => BoolFieldNames?.Contains(field) == true;

        public string NextPath() => PathFor?.Invoke() ?? Name;
    }
}
