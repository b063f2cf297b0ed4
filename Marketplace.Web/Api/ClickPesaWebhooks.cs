using System.Text;
using System.Text.Json;
using Marketplace.Core.Payments.ClickPesa;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>
/// POST /api/webhooks/clickpesa. With CLICKPESA_CHECKSUM_KEY set, a missing or wrong checksum is 401 and nothing is
/// stored; without it the webhook is taken as a notification only (the status query decides either way). Payment
/// events go into the inbox once per (event, ClickPesa payment id); other events (payouts) are acknowledged and dropped.
/// </summary>
public static class ClickPesaWebhooks
{
    public static async Task<Results<Ok<WebhooksApi.Acknowledgement>, ProblemHttpResult>> ReceiveAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        // Registered only when ClickPesa is configured.
        var options = context.RequestServices.GetService<ClickPesaOptions>();
        if (options is null)
        {
            return ApiProblems.NotFound("gateway_not_configured", "ClickPesa is not configured on this site.");
        }

        var (body, problem) = await WebhooksApi.ReadRawBodyAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        JsonElement payload;
        try
        {
            payload = JsonSerializer.Deserialize<JsonElement>(body);
        }
        catch (JsonException)
        {
            return options.ChecksumKey is null
                ? ApiProblems.BadRequest("malformed_json", "The webhook body is not JSON.")
                : WebhooksApi.BadSignature("The webhook body is not JSON, so its checksum cannot be checked.");
        }

        if (options.ChecksumKey is { } checksumKey && !ClickPesaChecksum.Verify(checksumKey, payload))
        {
            return WebhooksApi.BadSignature("The ClickPesa checksum is missing or does not match this payload.");
        }

        if (ClickPesaNotification.TryParse(payload) is not { IsPaymentEvent: true } notification)
        {
            return TypedResults.Ok(new WebhooksApi.Acknowledgement(Received: true, Duplicate: false));
        }

        return await WebhooksApi.AcceptAsync(context, ClickPesaGateway.GatewayName, notification.EventId(body), notification.EventType, Encoding.UTF8.GetString(body!));
    }
}
