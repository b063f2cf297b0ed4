using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Marketplace.Core.Payments.ClickPesa;

/// <summary>
/// ClickPesa's third-party API over a typed HttpClient (base address = CLICKPESA_API_BASE): a token from
/// <c>/generate-token</c> (cached in <see cref="ClickPesaTokenCache"/>; its value already reads <c>Bearer …</c> and
/// is sent as the whole Authorization header), hosted checkout links, and the payment status query that
/// confirms a payment before it is credited. Failures come back as <see cref="ClickPesaResult{T}.Failed"/>.
/// </summary>
public sealed class ClickPesaClient(HttpClient http, ClickPesaOptions options, ClickPesaTokenCache tokens)
{
    public async Task<ClickPesaResult<Uri>> GenerateCheckoutLinkAsync(ClickPesaCheckoutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new JsonObject
        {
            ["totalPrice"] = request.TotalPrice,
            ["orderReference"] = request.OrderReference,
            ["orderCurrency"] = request.OrderCurrency,
        };
        if (request.OrderDescription is not null)
        {
            body["orderDescription"] = request.OrderDescription;
        }

        if (request.CustomerEmail is not null)
        {
            body["customerEmail"] = request.CustomerEmail;
        }

        body["checksum"] = ClickPesaChecksum.Compute(options.ChecksumKey, JsonSerializer.SerializeToElement(body));

        var json = body.ToJsonString();
        var result = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "checkout-link/generate-checkout-url") { Content = new StringContent(json, Encoding.UTF8, "application/json") }, cancellationToken);
        if (result is not ClickPesaResult<JsonElement>.Ok { Value: var answer })
        {
            return Fail<Uri>(result);
        }

        return answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("checkoutLink", out var link) && link.ValueKind == JsonValueKind.String
            && Uri.TryCreate(link.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                ? new ClickPesaResult<Uri>.Ok(uri)
                : new ClickPesaResult<Uri>.Failed(502, "ClickPesa answered without a checkout link.");
    }

    /// <summary>Every attempt to pay <paramref name="orderReference"/>, as ClickPesa knows them; 404 when it knows none.</summary>
    public async Task<ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>> QueryPaymentAsync(string orderReference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderReference);
        var result = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"payments/{Uri.EscapeDataString(orderReference)}"), cancellationToken);
        if (result is not ClickPesaResult<JsonElement>.Ok { Value: var answer })
        {
            return Fail<IReadOnlyList<ClickPesaPaymentStatus>>(result);
        }

        // Documented as an array; a single object is taken as a one-element list.
        var items = answer.ValueKind switch
        {
            JsonValueKind.Array => answer.EnumerateArray().ToList(),
            JsonValueKind.Object => [answer],
            _ => [],
        };
        var statuses = items
            .Where(i => i.ValueKind == JsonValueKind.Object)
            .Select(i => new ClickPesaPaymentStatus(
                ClickPesaJson.Text(i, "id", "paymentId"),
                (ClickPesaJson.Text(i, "status") ?? string.Empty).Trim().ToUpperInvariant(),
                ClickPesaJson.Text(i, "orderReference"),
                ClickPesaJson.Text(i, "collectedAmount", "amount"),
                ClickPesaJson.Text(i, "collectedCurrency", "currency"),
                ClickPesaJson.Text(i, "message")))
            .ToList();
        return new ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Ok(statuses);
    }

    private async Task<ClickPesaResult<JsonElement>> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await tokens.GetAsync(FetchTokenAsync, cancellationToken) is not ClickPesaResult<string>.Ok { Value: var token })
            {
                return new ClickPesaResult<JsonElement>.Failed(401, "ClickPesa did not issue a token: check CLICKPESA_CLIENT_ID and CLICKPESA_API_KEY.");
            }

            using var request = build();
            request.Headers.TryAddWithoutValidation("Authorization", token);
            var result = await ExchangeAsync(request, cancellationToken);
            // A token can die before its hour (ClickPesa invalidates tokens when checksum settings change): renew once.
            if (result is ClickPesaResult<JsonElement>.Failed { Status: 401 } && attempt == 1)
            {
                tokens.Forget(token);
                continue;
            }

            return result;
        }
    }

    private async Task<ClickPesaResult<string>> FetchTokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "generate-token");
        request.Headers.Add("client-id", options.ClientId);
        request.Headers.Add("api-key", options.ApiKey);
        var result = await ExchangeAsync(request, cancellationToken);
        if (result is not ClickPesaResult<JsonElement>.Ok { Value: var answer })
        {
            return Fail<string>(result);
        }

        var token = answer.ValueKind == JsonValueKind.Object ? ClickPesaJson.Text(answer, "token") : null;
        if (string.IsNullOrWhiteSpace(token))
        {
            return new ClickPesaResult<string>.Failed(502, "ClickPesa answered without a token.");
        }

        return new ClickPesaResult<string>.Ok(token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token : "Bearer " + token);
    }

    private async Task<ClickPesaResult<JsonElement>> ExchangeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement? body = null;
            try
            {
                body = string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<JsonElement>(text);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (response.IsSuccessStatusCode)
            {
                return body is { } ok
                    ? new ClickPesaResult<JsonElement>.Ok(ok)
                    : new ClickPesaResult<JsonElement>.Failed(502, "ClickPesa answered with something that is not JSON.");
            }

            // Errors look like { "message": "…" } (*unsure* beyond that); keep what they said for the logs and the admin.
            var message = body is { ValueKind: JsonValueKind.Object } error ? ClickPesaJson.Text(error, "message", "error") : null;
            return new ClickPesaResult<JsonElement>.Failed((int)response.StatusCode, message ?? $"ClickPesa answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ClickPesaResult<JsonElement>.Failed(0, $"ClickPesa could not be reached: {ex.Message}");
        }
    }

    private static ClickPesaResult<T>.Failed Fail<T>(ClickPesaResult<JsonElement> result) =>
        result is ClickPesaResult<JsonElement>.Failed failed
            ? new ClickPesaResult<T>.Failed(failed.Status, failed.Message)
            : throw new InvalidOperationException($"{result} is not a failure.");
}

/// <summary>Reading ClickPesa's JSON, whose field names changed over time and whose amounts may be strings or numbers.</summary>
internal static class ClickPesaJson
{
    /// <summary>The first of <paramref name="names"/> present as a string or number, as text.</summary>
    public static string? Text(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            if (element.TryGetProperty(name, out var value))
            {
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        return value.GetString();
                    case JsonValueKind.Number:
                        return value.GetRawText();
                }
            }
        }

        return null;
    }
}
