using System.Text;
using System.Text.Json;
using Marketplace.Core.Payments.ClickPesa;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>
/// POST /api/webhooks/clickpesa. Text that is not Unicode is 400; a missing or wrong checksum (CLICKPESA_CHECKSUM_KEY) is
/// 401 and nothing is stored; even a verified webhook is only a notification (the status query decides). Payment
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

        switch (JsonText.Check(body))
        {
            case JsonTextCheck.NotUnicode:
                return ApiBody.NotUnicode();
            case JsonTextCheck.Malformed:
                return WebhooksApi.BadSignature("The webhook body is not JSON, so its checksum cannot be checked.");
        }

        var payload = JsonSerializer.Deserialize<JsonElement>(body);
        if (!ClickPesaChecksum.Verify(options.ChecksumKey, payload))
        {
            return WebhooksApi.BadSignature("The ClickPesa checksum is missing or does not match this payload.");
        }

        if (ClickPesaNotification.TryParse(payload) is not { IsPaymentEvent: true } notification)
        {
            return TypedResults.Ok(new WebhooksApi.Acknowledgement(Received: true, Duplicate: false));
        }

        var eventId = notification.EventId(body);
        if (eventId.Length > WebhookInboxItem.MaxEventIdLength)
        {
            return ApiProblems.BadRequest("invalid_event_id", $"The payment id and order reference make an event id longer than {WebhookInboxItem.MaxEventIdLength} characters; ClickPesa's are short.");
        }

        return await WebhooksApi.AcceptAsync(context, ClickPesaGateway.GatewayName, eventId, notification.EventType, Encoding.UTF8.GetString(body!));
    }
}
