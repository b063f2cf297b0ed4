using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Web.Tests.Payments.ClickPesa;

/// <summary>
/// ClickPesa's third-party API as documented, on Kestrel at a loopback port: <c>/generate-token</c>,
/// <c>/checkout-link/generate-checkout-url</c> and <c>/payments/{orderReference}</c> with their error shapes
/// (<c>{ "message" }</c>, 400/401/404/409). It records every request, lets a test set what the status query
/// answers, and builds webhooks carrying a checksum computed here, independently of the app's own code.
/// </summary>
public sealed partial class FakeClickPesa : IAsyncDisposable
{
    public const string ClientId = "fake-clickpesa-client";
    public const string ApiKey = "fake-clickpesa-api-key";
    public const string ChecksumKey = "fake-clickpesa-checksum-key";

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _tokens = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private CheckoutFailure? _nextCheckoutError;

    /// <summary>One request as it arrived.</summary>
    public sealed record RecordedRequest(string Method, string Path, string? Authorization, string? ClientIdHeader, string? ApiKeyHeader, string Body);

    private sealed record CheckoutFailure(int Status, string Message);

    /// <summary>A checkout the app created and what the status query says about it.</summary>
    public sealed class Order
    {
        public required string Reference { get; init; }

        public required string TotalPrice { get; init; }

        public required string Currency { get; init; }

        public string? Description { get; init; }

        public string Status { get; set; } = "PENDING";

        public string? CollectedAmount { get; set; }

        public string? CollectedCurrency { get; set; }

        public string PaymentId { get; } = "LWK" + RandomNumberGenerator.GetHexString(8);
    }

    /// <summary>Where the app's CLICKPESA_API_BASE points.</summary>
    public Uri ApiBase { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public int TokenRequests => Requests.Count(r => r.Path.EndsWith("/generate-token", StringComparison.Ordinal));

    public IReadOnlyCollection<Order> Orders => [.. _orders.Values];

    public static async Task<FakeClickPesa> StartAsync()
    {
        var fake = new FakeClickPesa();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        fake.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.ApiBase = new Uri($"{address}/third-parties/");
        fake._app = app;
        return fake;
    }

    public Order FindOrder(string reference) =>
        _orders.TryGetValue(reference, out var order) ? order : throw new InvalidOperationException($"The app created no order {reference}.");

    /// <summary>What <c>GET /payments/{reference}</c> reports from now on; amount and currency default to the order's.</summary>
    public void SetStatus(string reference, string status, string? collectedAmount = null, string? collectedCurrency = null)
    {
        var order = FindOrder(reference);
        order.Status = status;
        order.CollectedAmount = collectedAmount ?? order.TotalPrice;
        order.CollectedCurrency = collectedCurrency ?? order.Currency;
    }

    /// <summary>The next checkout-link request is answered with this error instead.</summary>
    public void FailNextCheckout(int status, string message) => _nextCheckoutError = new CheckoutFailure(status, message);

    /// <summary>Invalidates every token issued so far, as ClickPesa does when checksum settings change.</summary>
    public void RevokeTokens()
    {
        foreach (var token in _tokens.Keys)
        {
            _tokens[token] = false;
        }
    }

    /// <summary>
    /// The JSON of a payment webhook for <paramref name="reference"/>, with <c>checksum</c> at the top level when
    /// <paramref name="checksumKey"/> is given. <paramref name="legacy"/> uses the older field names.
    /// </summary>
    public string Webhook(string eventType, string reference, string status, string? checksumKey = ChecksumKey, bool legacy = false)
    {
        var order = FindOrder(reference);
        var data = new JsonObject
        {
            [legacy ? "paymentId" : "id"] = order.PaymentId,
            ["status"] = status,
            ["paymentReference"] = "PR" + order.PaymentId,
            ["orderReference"] = reference,
            [legacy ? "amount" : "collectedAmount"] = order.CollectedAmount ?? order.TotalPrice,
            [legacy ? "currency" : "collectedCurrency"] = order.CollectedCurrency ?? order.Currency,
            ["message"] = status == "FAILED" ? "Insufficient balance" : "Payment received",
            ["channel"] = "TIGO-PESA",
            ["createdAt"] = "2026-11-22T10:00:00.000Z",
            ["updatedAt"] = "2026-11-22T10:01:00.000Z",
            ["customer"] = new JsonObject { ["customerName"] = "Zawadi Mushi", ["customerPhoneNumber"] = "255712345678", ["customerEmail"] = "zawadi@example.test" },
        };
        var payload = new JsonObject { [legacy ? "eventType" : "event"] = eventType, ["data"] = data };
        if (checksumKey is not null)
        {
            payload["checksum"] = Checksum(checksumKey, payload);
        }

        return payload.ToJsonString(Compact);
    }

    /// <summary>Posts <paramref name="json"/> to the app's webhook endpoint the way ClickPesa would (no cookies, no CSRF token).</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(HttpClient app, string json)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await app.PostAsync(new Uri("/api/webhooks/clickpesa", UriKind.Relative), content);
    }

    /// <summary>Sorted keys at every depth, compact JSON, HMAC-SHA256, lowercase hex (checksum fields left out).</summary>
    public static string Checksum(string key, JsonNode payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var copy = Sorted(payload.DeepClone())!.AsObject();
        copy.Remove("checksum");
        copy.Remove("checksumMethod");
        var text = copy.ToJsonString(Compact);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(text)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
        JsonArray array => new JsonArray([.. array.Select(i => Sorted(i?.DeepClone()))]),
        _ => node?.DeepClone(),
    };

    private static IResult Error(int status, string message) => Results.Json(new { message }, statusCode: status);

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
            var body = await reader.ReadToEndAsync();
            context.Request.Body.Position = 0;
            var headers = context.Request.Headers;
            _requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path, headers.Authorization, headers["client-id"], headers["api-key"], body));
            await next(context);
        });

        app.MapPost("/third-parties/generate-token", (HttpRequest request) =>
        {
            if (request.Headers["client-id"] != ClientId || request.Headers["api-key"] != ApiKey)
            {
                return Error(401, "Invalid client-id or api-key");
            }

            var token = "Bearer fake." + RandomNumberGenerator.GetHexString(32, lowercase: true);
            _tokens[token] = true;
            return Results.Json(new { success = true, token });
        });

        app.MapPost("/third-parties/checkout-link/generate-checkout-url", async (HttpRequest request) =>
        {
            if (!Authorized(request))
            {
                return Error(401, "Unauthorized");
            }

            if (Interlocked.Exchange(ref _nextCheckoutError, null) is { } failure)
            {
                return Error(failure.Status, failure.Message);
            }

            var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            if (body is null)
            {
                return Error(400, "Invalid request body");
            }

            var totalPrice = body["totalPrice"] is JsonValue price && price.TryGetValue<string>(out var priceText) ? priceText : null;
            var reference = body["orderReference"]?.GetValue<string>();
            var currency = body["orderCurrency"]?.GetValue<string>();
            if (totalPrice is null || !decimal.TryParse(totalPrice, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            {
                return Error(400, "totalPrice must be a positive amount as a string");
            }

            if (reference is null || !Alphanumeric().IsMatch(reference))
            {
                return Error(400, "orderReference must contain only letters and numbers");
            }

            if (currency is not ("TZS" or "USD"))
            {
                return Error(400, "orderCurrency must be TZS or USD");
            }

            if (body["checksum"]?.GetValue<string>() is not { } checksum || checksum != Checksum(ChecksumKey, body))
            {
                return Error(400, "Invalid checksum");
            }

            var order = new Order { Reference = reference, TotalPrice = totalPrice, Currency = currency, Description = body["orderDescription"]?.GetValue<string>() };
            if (!_orders.TryAdd(reference, order))
            {
                return Error(409, "Order reference already used");
            }

            return Results.Json(new { checkoutLink = $"{ApiBase}checkout/{reference}", clientId = ClientId });
        });

        app.MapGet("/third-parties/payments/{reference}", (HttpRequest request, string reference) =>
        {
            if (!Authorized(request))
            {
                return Error(401, "Unauthorized");
            }

            if (!_orders.TryGetValue(reference, out var order))
            {
                return Error(404, "Payment not found");
            }

            return Results.Json(new object[]
            {
                new
                {
                    id = order.PaymentId,
                    status = order.Status,
                    paymentReference = "PR" + order.PaymentId,
                    orderReference = order.Reference,
                    collectedAmount = order.CollectedAmount ?? order.TotalPrice,
                    collectedCurrency = order.CollectedCurrency ?? order.Currency,
                    message = order.Status == "FAILED" ? "Insufficient balance" : "OK",
                    createdAt = "2026-11-22T10:00:00.000Z",
                    updatedAt = "2026-11-22T10:01:00.000Z",
                    customer = new { customerName = "Zawadi Mushi", customerPhoneNumber = "255712345678" },
                },
            });
        });
    }

    private bool Authorized(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { Length: > 0 } token && _tokens.TryGetValue(token, out var valid) && valid;

    [GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial Regex Alphanumeric();
}
