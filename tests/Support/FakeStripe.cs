using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Marketplace.Core.Payments.Stripe;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Testing;

/// <summary>A request the fake received, as the app sent it.</summary>
public sealed record FakeStripeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Form);

/// <summary>A Checkout Session the fake holds.</summary>
public sealed class FakeStripeSession
{
    public required string Id { get; init; }

    public required long AmountTotal { get; init; }

    public required string Currency { get; init; }

    /// <summary>The line item's <c>price_data[product_data][name]</c>: what the hosted page says is being bought.</summary>
    public string ProductName { get; init; } = string.Empty;

    public required string SuccessUrl { get; init; }

    public required string CancelUrl { get; init; }

    public string? ClientReferenceId { get; init; }

    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    public long? ExpiresAt { get; init; }

    public long Created { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public required string Url { get; init; }

    public string Status { get; set; } = "open";

    public string PaymentStatus { get; set; } = "unpaid";

    public string? PaymentId => Metadata.TryGetValue("payment_id", out var id) ? id : null;
}

/// <summary>
/// Stripe's Checkout API on a loopback port for tests, as strict as Stripe about what Stripe.net sends: the secret key as
/// a bearer token, the API version Stripe.net pins, form-encoded bodies with only the parameters Checkout knows (an
/// unknown or malformed one is Stripe's 400, so a wrong request fails its test), metadata within Stripe's limits.
/// Creates, retrieves and expires sessions with Stripe-shaped JSON and errors; records every request (form fields,
/// headers incl. Idempotency-Key); replays the first answer for a repeated idempotency key; can fail the next requests
/// on purpose (with or without <c>Stripe-Should-Retry</c>); signs and sends webhooks to the app; and serves a hosted
/// checkout page at each session's url where 4242 4242 4242 4242 pays (completed webhook, then the success_url),
/// 4000 0000 0000 0002 is declined (the page says so and the session stays open, as Stripe's does), and Back follows
/// the cancel_url.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake0123456789";
    public const string WebhookSecret = "whsec_fakesecret0123456789";
    public const string SignatureHeader = "Stripe-Signature";

    // Checkout's create parameters as the app uses them; Stripe refuses any it does not know.
    private static readonly HashSet<string> CreateParameters =
    [
        "mode", "line_items[0][price_data][currency]", "line_items[0][price_data][unit_amount]", "line_items[0][price_data][product_data][name]",
        "line_items[0][quantity]", "success_url", "cancel_url", "client_reference_id", "customer_email", "expires_at",
    ];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeStripeSession> _sessions = new();
    private readonly ConcurrentDictionary<string, (string Fingerprint, FakeStripeSession Session)> _idempotency = new();
    private readonly ConcurrentQueue<FakeStripeRequest> _requests = new();
    private readonly ConcurrentQueue<(int Status, string? Code, bool? ShouldRetry)> _failures = new();
    private int _sequence;

    private FakeStripe(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyCollection<FakeStripeRequest> Requests => _requests.ToArray();

    public IReadOnlyCollection<FakeStripeSession> Sessions => _sessions.Values.ToArray();

    /// <summary>Where webhooks go; set by the test once the app is up (a TestServer client, or a real HttpClient for a Kestrel app).</summary>
    public HttpClient? WebhookClient { get; set; }

    public Uri WebhookPath { get; set; } = new("/api/webhooks/stripe", UriKind.Relative);

    /// <summary>The settings that point an app at this fake.</summary>
    public IReadOnlyDictionary<string, string> AppSettings => new Dictionary<string, string>
    {
        ["STRIPE_SECRET_KEY"] = SecretKey,
        ["STRIPE_WEBHOOK_SECRET"] = WebhookSecret,
        ["STRIPE_PUBLISHABLE_KEY"] = "pk_test_fake0123456789",
        ["STRIPE_API_BASE"] = BaseUrl.ToString(),
    };

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeStripe(app);
        fake.Map();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return fake;
    }

    /// <summary>
    /// The next <paramref name="count"/> API requests answer <paramref name="status"/> with Stripe's error JSON, and with
    /// <c>Stripe-Should-Retry</c> when <paramref name="shouldRetry"/> is given (Stripe sends it when it knows, e.g. true
    /// on a <c>lock_timeout</c> 429).
    /// </summary>
    public void FailNext(int status, int count = 1, string? code = null, bool? shouldRetry = null)
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue((status, code, shouldRetry));
        }
    }

    /// <summary>A <c>Stripe-Signature</c> header as Stripe makes it: HMAC-SHA256 keyed with the whole secret over "t.body".</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        byte[] signed = [.. Encoding.ASCII.GetBytes(t + "."), .. body];
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    public FakeStripeSession SessionFor(Guid paymentId) =>
        _sessions.Values.Single(s => s.PaymentId == paymentId.ToString("N"));

    /// <summary>The event Stripe would send for <paramref name="session"/> in its current state.</summary>
    public static string EventJson(string type, FakeStripeSession session, string eventId, long? amountTotal = null, string? paymentStatus = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        var evt = new JsonObject
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["api_version"] = StripeOptions.DefaultApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["type"] = type,
            ["data"] = new JsonObject { ["object"] = SessionJson(session, amountTotal, paymentStatus) },
        };
        return evt.ToJsonString();
    }

    /// <summary>Signs and posts an event to the app the way Stripe does; tests may sign with another secret or time, or alter the body after signing.</summary>
    public async Task<HttpResponseMessage> SendEventAsync(string payload, DateTimeOffset? signedAt = null, string? secret = null, Func<string, string>? afterSigning = null, bool withSignature = true)
    {
        var client = WebhookClient ?? throw new InvalidOperationException("Set WebhookClient before sending webhooks.");
        var header = Sign(Encoding.UTF8.GetBytes(payload), secret ?? WebhookSecret, signedAt ?? DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookPath)
        {
            Content = new StringContent(afterSigning is null ? payload : afterSigning(payload), Encoding.UTF8, "application/json"),
        };
        if (withSignature)
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, header);
        }

        return await client.SendAsync(request);
    }

    public Task<HttpResponseMessage> SendEventAsync(string type, FakeStripeSession session, string? eventId = null) =>
        SendEventAsync(EventJson(type, session, eventId ?? NewEventId()));

    /// <summary>The <c>charge.refunded</c> event Stripe sends when (some of) a paid session's charge is refunded.</summary>
    public static string ChargeRefundedJson(FakeStripeSession session, string eventId, long? amountRefunded = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        var metadata = new JsonObject();
        foreach (var (key, value) in session.Metadata)
        {
            metadata[key] = value;
        }

        var evt = new JsonObject
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["api_version"] = StripeOptions.DefaultApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["type"] = "charge.refunded",
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = "ch_" + session.Id[8..32],
                    ["object"] = "charge",
                    ["amount"] = session.AmountTotal,
                    ["amount_captured"] = session.AmountTotal,
                    ["amount_refunded"] = amountRefunded ?? session.AmountTotal,
                    ["currency"] = session.Currency,
                    ["paid"] = true,
                    ["refunded"] = (amountRefunded ?? session.AmountTotal) == session.AmountTotal,
                    ["payment_intent"] = "pi_" + session.Id[8..32],
                    ["metadata"] = metadata,
                },
            },
        };
        return evt.ToJsonString();
    }

    public string NewEventId() => $"evt_fake{Interlocked.Increment(ref _sequence):D6}{Guid.NewGuid():N}"[..28];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static JsonObject SessionJson(FakeStripeSession s, long? amountTotal = null, string? paymentStatus = null)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in s.Metadata)
        {
            metadata[key] = value;
        }

        return new JsonObject
        {
            ["id"] = s.Id,
            ["object"] = "checkout.session",
            ["url"] = s.Status == "open" ? s.Url : null,
            ["status"] = s.Status,
            ["payment_status"] = paymentStatus ?? s.PaymentStatus,
            ["mode"] = "payment",
            ["amount_total"] = amountTotal ?? s.AmountTotal,
            ["currency"] = s.Currency,
            ["client_reference_id"] = s.ClientReferenceId,
            ["metadata"] = metadata,
            ["expires_at"] = s.ExpiresAt ?? s.Created + (24 * 3600),
            ["created"] = s.Created,
            ["success_url"] = s.SuccessUrl,
            ["cancel_url"] = s.CancelUrl,
        };
    }

    private static IResult Error(int status, string type, string message, string? code = null, string? param = null) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message, ["param"] = param } }, statusCode: status);

    private void Map()
    {
        var api = _app.MapGroup("/v1").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var form = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString()) : [];
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            _requests.Enqueue(new FakeStripeRequest(http.Request.Method, http.Request.Path, headers, form));
            if (http.Request.Headers.Authorization != $"Bearer {SecretKey}")
            {
                return Error(401, "invalid_request_error", "Invalid API Key provided.");
            }

            if (http.Request.Headers["Stripe-Version"] != StripeOptions.DefaultApiVersion)
            {
                return Error(400, "invalid_request_error", $"Invalid Stripe API version: '{http.Request.Headers["Stripe-Version"]}'. The app's Stripe.net pins {StripeOptions.DefaultApiVersion}.");
            }

            if (HttpMethods.IsPost(http.Request.Method) && !http.Request.HasFormContentType)
            {
                return Error(400, "invalid_request_error", "Stripe takes application/x-www-form-urlencoded bodies.");
            }

            if (HttpMethods.IsGet(http.Request.Method) && (http.Request.ContentLength > 0 || http.Request.QueryString.HasValue))
            {
                return Error(400, "invalid_request_error", "This GET takes no parameters here.");
            }

            if (_failures.TryDequeue(out var failure))
            {
                if (failure.ShouldRetry is { } retry)
                {
                    http.Response.Headers["Stripe-Should-Retry"] = retry ? "true" : "false";
                }

                return failure.Status == 429
                    ? Error(429, "invalid_request_error", "Too many requests.", failure.Code ?? "rate_limit")
                    : Error(failure.Status, failure.Status >= 500 ? "api_error" : "invalid_request_error", "Injected failure.", failure.Code);
            }

            return await next(context);
        });
        api.MapPost("/checkout/sessions", (HttpRequest request) => CreateSession(request));
        api.MapGet("/checkout/sessions/{id}", (string id) =>
            _sessions.TryGetValue(id, out var s) ? Results.Json(SessionJson(s)) : Error(404, "invalid_request_error", $"No such checkout.session: '{id}'", "resource_missing", "id"));
        api.MapPost("/checkout/sessions/{id}/expire", async (string id, HttpRequest request) =>
        {
            if ((await request.ReadFormAsync()).Keys.FirstOrDefault() is { } unknown)
            {
                return Error(400, "invalid_request_error", $"Received unknown parameter: {unknown}", "parameter_unknown", unknown);
            }

            if (!_sessions.TryGetValue(id, out var s))
            {
                return Error(404, "invalid_request_error", $"No such checkout.session: '{id}'", "resource_missing", "id");
            }

            lock (s)
            {
                if (s.Status != "open")
                {
                    return Error(400, "invalid_request_error", "Only Checkout Sessions with a status of open can be expired.");
                }

                s.Status = "expired";
            }

            return Results.Json(SessionJson(s));
        });
        _app.MapGet("/pay/{id}", (string id) => _sessions.TryGetValue(id, out var s) ? Results.Content(HostedPage(s, null), "text/html") : Results.NotFound());
        _app.MapPost("/pay/{id}", async (string id, HttpRequest request) =>
        {
            if (!_sessions.TryGetValue(id, out var s) || s.Status != "open")
            {
                return Results.NotFound();
            }

            var card = new string((await request.ReadFormAsync())["card_number"].ToString().Where(char.IsDigit).ToArray());
            if (card == "4000000000000002")
            {
                return Results.Content(HostedPage(s, "Your card was declined."), "text/html", statusCode: 402);
            }

            if (card != "4242424242424242")
            {
                return Results.Content(HostedPage(s, "Use a test card."), "text/html", statusCode: 400);
            }

            lock (s)
            {
                s.Status = "complete";
                s.PaymentStatus = "paid";
            }

            if (WebhookClient is not null)
            {
                using var delivered = await SendEventAsync("checkout.session.completed", s);
            }

            return Results.Redirect(s.SuccessUrl.Replace("{CHECKOUT_SESSION_ID}", s.Id, StringComparison.Ordinal));
        });
    }

    private async Task<IResult> CreateSession(HttpRequest request)
    {
        var form = (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        if (form.Keys.FirstOrDefault(k => !CreateParameters.Contains(k) && !IsMetadata(k, "metadata[") && !IsMetadata(k, "payment_intent_data[metadata][")) is { } unknown)
        {
            return Error(400, "invalid_request_error", $"Received unknown parameter: {unknown}", "parameter_unknown", unknown);
        }

        if (form.FirstOrDefault(f => (IsMetadata(f.Key, "metadata[") || IsMetadata(f.Key, "payment_intent_data[metadata][")) && (f.Key.Length - f.Key.LastIndexOf('[') - 2 > 40 || f.Value.Length > 500)) is { Key: { } tooLong })
        {
            return Error(400, "invalid_request_error", "Metadata keys are at most 40 characters and values at most 500.", "parameter_invalid_string_too_long", tooLong);
        }

        if (form.GetValueOrDefault("mode") != "payment" || form.GetValueOrDefault("line_items[0][price_data][currency]") is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterLower))
        {
            return Error(400, "invalid_request_error", "mode must be payment and the currency three lowercase letters here.", "parameter_invalid", "mode");
        }

        if (form.TryGetValue("expires_at", out var expiresText) && !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return Error(400, "invalid_request_error", "Invalid integer: expires_at.", "parameter_invalid_integer", "expires_at");
        }

        foreach (var required in new[] { "mode", "line_items[0][price_data][currency]", "line_items[0][price_data][unit_amount]", "line_items[0][price_data][product_data][name]", "line_items[0][quantity]", "success_url", "cancel_url" })
        {
            if (!form.TryGetValue(required, out var value) || value.Length == 0)
            {
                return Error(400, "invalid_request_error", $"Missing required param: {required}.", "parameter_missing", required);
            }
        }

        if (!long.TryParse(form["line_items[0][price_data][unit_amount]"], NumberStyles.None, CultureInfo.InvariantCulture, out var unitAmount)
            || !long.TryParse(form["line_items[0][quantity]"], NumberStyles.None, CultureInfo.InvariantCulture, out var quantity) || quantity < 1)
        {
            return Error(400, "invalid_request_error", "Invalid integer.", "parameter_invalid_integer", "line_items[0][price_data][unit_amount]");
        }

        var key = request.Headers["Idempotency-Key"].ToString();
        var fingerprint = string.Join('&', form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
        if (key.Length > 0 && _idempotency.TryGetValue(key, out var earlier))
        {
            return earlier.Fingerprint == fingerprint
                ? Results.Json(SessionJson(earlier.Session))
                : Error(400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters they were first used with.");
        }

        var id = $"cs_test_{Guid.NewGuid():N}";
        var session = new FakeStripeSession
        {
            Id = id,
            AmountTotal = unitAmount * quantity,
            Currency = form["line_items[0][price_data][currency]"],
            ProductName = form["line_items[0][price_data][product_data][name]"],
            SuccessUrl = form["success_url"],
            CancelUrl = form["cancel_url"],
            ClientReferenceId = form.GetValueOrDefault("client_reference_id"),
            Metadata = form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal)).ToDictionary(f => f.Key[9..^1], f => f.Value),
            ExpiresAt = form.TryGetValue("expires_at", out var expires) ? long.Parse(expires, CultureInfo.InvariantCulture) : null,
            Url = new Uri(BaseUrl, $"/pay/{id}").ToString(),
        };
        if (key.Length > 0 && !_idempotency.TryAdd(key, (fingerprint, session)))
        {
            return Results.Json(SessionJson(_idempotency[key].Session));
        }

        _sessions[id] = session;
        return Results.Json(SessionJson(session));
    }

    private static bool IsMetadata(string key, string prefix) =>
        key.StartsWith(prefix, StringComparison.Ordinal) && key.EndsWith(']') && key.Length > prefix.Length + 1 && key.IndexOf('[', prefix.Length) < 0;

    private static string HostedPage(FakeStripeSession s, string? error)
    {
        var amount = (s.AmountTotal / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        var alert = error is null ? string.Empty : $"<p role=\"alert\">{HtmlEncoder.Default.Encode(error)}</p>";
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Fake Stripe Checkout</title></head>
            <body>
            <main>
            <h1>Pay {amount} {s.Currency.ToUpperInvariant()}</h1>
            <p>{HtmlEncoder.Default.Encode(s.ProductName)}</p>
            <form method="post">
            <label for="card_number">Card number</label>
            <input id="card_number" name="card_number" autocomplete="cc-number">
            <button type="submit">Pay</button>
            </form>
            {alert}
            <p><a href="{HtmlEncoder.Default.Encode(s.CancelUrl)}">Back</a></p>
            </main>
            </body>
            </html>
            """;
    }
}
