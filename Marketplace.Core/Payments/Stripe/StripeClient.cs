using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Marketplace.Core.Payments.Stripe;

/// <summary>The parts of a Checkout Session we read (snake_case JSON).</summary>
public sealed record StripeCheckoutSession(
    string Id,
    string? Url,
    string? Status,
    [property: JsonPropertyName("payment_status")] string? PaymentStatus,
    [property: JsonPropertyName("amount_total")] long? AmountTotal,
    string? Currency,
    [property: JsonPropertyName("client_reference_id")] string? ClientReferenceId,
    IReadOnlyDictionary<string, string>? Metadata,
    [property: JsonPropertyName("expires_at")] long? ExpiresAt);

/// <summary>Stripe's error object: <c>{"error":{"type","code","decline_code","message","param"}}</c> plus the HTTP status.</summary>
public sealed record StripeError(int Status, string? Type, string? Code, string? DeclineCode, string? Message, string? Param)
{
    /// <summary>Our problem code for it: the caller's answer does not depend on which of Stripe's many codes it was.</summary>
    public string ProblemCode => Status switch
    {
        401 or 403 => "gateway_misconfigured",
        402 => "payment_declined",
        409 => "gateway_conflict",
        429 => "gateway_busy",
        >= 500 or 0 => "gateway_unavailable",
        _ => "gateway_rejected",
    };

    public bool Unavailable => Status is 0 or 429 or >= 500;

    public PaymentGatewayException ToException() =>
        new(ProblemCode, $"Stripe answered {Status}{(Code is null ? string.Empty : $" ({Code})")}: {Message ?? "no message"}", Unavailable);
}

public abstract record StripeResult<T>
{
    private StripeResult()
    {
    }

    public sealed record Ok(T Value) : StripeResult<T>;

    public sealed record Failed(StripeError Error) : StripeResult<T>;
}

/// <summary>What we ask Stripe for when a shopper pays by card.</summary>
public sealed record StripeCheckoutRequest(
    Guid PaymentId,
    long UnitAmount,
    string Currency,
    string ProductName,
    string SuccessUrl,
    string CancelUrl,
    DateTimeOffset? ExpiresAt);

/// <summary>
/// Stripe's HTTP API without Stripe.net: form-encoded requests with bracketed nested keys, a pinned
/// <c>Stripe-Version</c>, an <c>Idempotency-Key</c> per logical operation so a retried request (429, 5xx, network)
/// is replayed by Stripe rather than repeated, and Stripe's error JSON mapped to <see cref="StripeError"/>.
/// </summary>
public sealed partial class StripeClient(HttpClient http, StripeOptions options, ILogger<StripeClient> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    public Task<StripeResult<StripeCheckoutSession>> CreateCheckoutSessionAsync(StripeCheckoutRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var paymentId = request.PaymentId.ToString("N");
        var form = new List<KeyValuePair<string, string>>
        {
            new("mode", "payment"),
            new("line_items[0][price_data][currency]", request.Currency.ToLowerInvariant()),
            new("line_items[0][price_data][unit_amount]", request.UnitAmount.ToString(CultureInfo.InvariantCulture)),
            new("line_items[0][price_data][product_data][name]", request.ProductName),
            new("line_items[0][quantity]", "1"),
            new("success_url", request.SuccessUrl),
            new("cancel_url", request.CancelUrl),
            new("client_reference_id", paymentId),
            new("metadata[payment_id]", paymentId),
            new("payment_intent_data[metadata][payment_id]", paymentId),
        };
        if (request.ExpiresAt is { } expiresAt)
        {
            form.Add(new("expires_at", expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }

        return SendAsync<StripeCheckoutSession>(HttpMethod.Post, "/v1/checkout/sessions", form, IdempotencyKey(request.PaymentId, "checkout"), cancellationToken);
    }

    public Task<StripeResult<StripeCheckoutSession>> RetrieveCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        SendAsync<StripeCheckoutSession>(HttpMethod.Get, $"/v1/checkout/sessions/{Uri.EscapeDataString(sessionId)}", null, null, cancellationToken);

    public Task<StripeResult<StripeCheckoutSession>> ExpireCheckoutSessionAsync(Guid paymentId, string sessionId, CancellationToken cancellationToken = default) =>
        SendAsync<StripeCheckoutSession>(HttpMethod.Post, $"/v1/checkout/sessions/{Uri.EscapeDataString(sessionId)}/expire", [], IdempotencyKey(paymentId, "expire"), cancellationToken);

    /// <summary>One key per payment and operation: the same payment never opens two sessions, however often it is retried.</summary>
    public static string IdempotencyKey(Guid paymentId, string operation) => $"marketplace-{operation}-{paymentId:N}";

    private async Task<StripeResult<T>> SendAsync<T>(HttpMethod method, string path, List<KeyValuePair<string, string>>? form, string? idempotencyKey, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(options.ApiBase, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.SecretKey);
            request.Headers.Add("Stripe-Version", options.ApiVersion);
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            if (form is not null)
            {
                request.Content = new FormUrlEncodedContent(form);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (attempt < options.MaxRetries)
                {
                    LogRetry(logger, method.Method, path, 0, attempt + 1);
                    await Task.Delay(Backoff(attempt, null), cancellationToken);
                    continue;
                }

                return new StripeResult<T>.Failed(new StripeError(0, "network_error", null, null, ex.Message, null));
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
                    return value is null
                        ? new StripeResult<T>.Failed(new StripeError((int)response.StatusCode, "api_error", null, null, "Empty response body.", null))
                        : new StripeResult<T>.Ok(value);
                }

                var error = await ReadErrorAsync(response, cancellationToken);
                if (attempt < options.MaxRetries && ShouldRetry(response))
                {
                    LogRetry(logger, method.Method, path, (int)response.StatusCode, attempt + 1);
                    await Task.Delay(Backoff(attempt, response.Headers.RetryAfter), cancellationToken);
                    continue;
                }

                return new StripeResult<T>.Failed(error);
            }
        }
    }

    // Stripe says so explicitly when it knows (Stripe-Should-Retry); otherwise rate limits and its own faults are worth another go.
    private static bool ShouldRetry(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Stripe-Should-Retry", out var values))
        {
            return string.Equals(values.FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase);
        }

        return response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
    }

    private TimeSpan Backoff(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta && delta > TimeSpan.Zero)
        {
            return delta < MaxRetryAfter ? delta : MaxRetryAfter;
        }

        var wait = options.RetryBaseDelay * Math.Pow(2, attempt);
        return wait < MaxRetryAfter ? wait : MaxRetryAfter;
    }

    private static async Task<StripeError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return new StripeError(status, Text(error, "type"), Text(error, "code"), Text(error, "decline_code"), Text(error, "message"), Text(error, "param"));
            }
        }
        catch (JsonException)
        {
            // Not Stripe's error shape (a proxy's HTML page, say); the status still tells us what to do.
        }

        return new StripeError(status, null, null, null, response.ReasonPhrase, null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe {Method} {Path} answered {Status}; retry {Retry}")]
    private static partial void LogRetry(ILogger logger, string method, string path, int status, int retry);
}
