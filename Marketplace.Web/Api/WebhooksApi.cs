using System.Text.Json;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>
/// <c>POST /api/webhooks/{gateway}</c>, one route for every gateway in <see cref="PaymentGateways"/> (so
/// <c>/api/webhooks/stripe</c> and <c>/api/webhooks/clickpesa</c> are the same endpoint): anonymous and without CSRF
/// (gateways cannot send our token; the signature is the authentication). Read the raw body once (bounded), let the
/// gateway verify and read it (<see cref="WebhookReceiver"/>: 401 and nothing stored when it is not authentic), store it
/// in the inbox once per event id (a duplicate is 200 and nothing else), answer 200 at once; the inbox job applies it.
/// </summary>
public static class WebhooksApi
{
    /// <summary>Gateways' events are a few KiB; anything near this is not one of ours.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public sealed record Acknowledgement(bool Received, bool Duplicate);

    /// <summary>Mapped on the app, outside the /api group whose filter demands the CSRF header.</summary>
    public static WebApplication MapWebhooksApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var hooks = app.MapGroup("/api/webhooks").WithTags("Webhooks").AllowAnonymous();
        hooks.MapPost("/{gateway}", Receive)
            .WithSummary($"A gateway's event ({string.Join(", ", PaymentGateways.Names)}), verified by that gateway (Stripe-Signature, ClickPesa's checksum, the demo's signature): stored once in the inbox and acknowledged at once; processed in the background")
            .AcceptsJson<JsonElement>()
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<Acknowledgement>, ProblemHttpResult>> Receive(HttpRequest request, WebhookReceiver receiver, WebhookInboxTrigger trigger, string gateway)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(trigger);
        var (body, problem) = await ReadRawBodyAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var headers = request.Headers;
        var delivery = new WebhookDelivery(body!, name => headers.TryGetValue(name, out var value) ? value.ToString() : null);
        return await receiver.ReceiveAsync(gateway, delivery, request.HttpContext.RequestAborted) switch
        {
            WebhookReceipt.Stored { Result: var result } => Acknowledge(result, trigger),
            WebhookReceipt.Dropped => TypedResults.Ok(new Acknowledgement(Received: true, Duplicate: false)),
            WebhookReceipt.Refused { Reading: WebhookReading.Rejected rejected } => BadSignature(rejected.Detail),
            WebhookReceipt.Refused { Reading: WebhookReading.Malformed { Code: "malformed_json" } } => ApiBody.NotUnicode(),
            WebhookReceipt.Refused { Reading: WebhookReading.Malformed malformed } => ApiProblems.BadRequest(malformed.Code, malformed.Detail),
            _ => ApiProblems.NotFound("gateway_not_configured", $"No gateway '{gateway}' takes webhooks on this site."),
        };
    }

    /// <summary>A new event triggers the inbox job; a redelivery is acknowledged and changes nothing.</summary>
    public static Ok<Acknowledgement> Acknowledge(AcceptResult result, WebhookInboxTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (result == AcceptResult.Accepted)
        {
            trigger.RequestRun();
        }

        return TypedResults.Ok(new Acknowledgement(true, result == AcceptResult.Duplicate));
    }

    /// <summary>The body exactly as sent, for signature checks over raw bytes; 413 past <paramref name="maxBytes"/>.</summary>
    public static async Task<(byte[]? Body, ProblemHttpResult? Problem)> ReadRawBodyAsync(HttpRequest request, int maxBytes = MaxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    public static ProblemHttpResult BadSignature(string detail) =>
        ApiProblems.Problem(StatusCodes.Status401Unauthorized, "bad_webhook_signature", "Webhook signature not accepted", detail);

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "body_too_large", "Request too large", $"The body must be at most {maxBytes} bytes.");
}
