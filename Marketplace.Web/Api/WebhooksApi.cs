using System.Text;
using System.Text.Json;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Text;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>
/// /api/webhooks/{gateway}: anonymous and without CSRF (gateways cannot send our token; the signature is the
/// authentication). Every endpoint follows one shape: read the raw body once (bounded), verify the signature
/// (401, nothing stored), <see cref="AcceptAsync"/> into the inbox (a duplicate is 200 and nothing else),
/// answer 200 at once; the inbox job applies the event.
/// </summary>
public static class WebhooksApi
{
    /// <summary>Stripe's checkout events are a few KiB; anything near this is not one of ours.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public sealed record Acknowledgement(bool Received, bool Duplicate);

    /// <summary>Mapped on the app, outside the /api group whose filter demands the CSRF header.</summary>
    public static WebApplication MapWebhooksApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var hooks = app.MapGroup("/api/webhooks").WithTags("Webhooks").AllowAnonymous();
        hooks.MapPost("/stripe", Stripe)
            .WithSummary("Stripe event (Stripe-Signature verified over the raw body): stored once in the inbox and acknowledged at once; processed in the background")
            .AcceptsJson<StripeEventDocument>()
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound);
        hooks.MapPost("/clickpesa", ClickPesaWebhooks.ReceiveAsync)
            .WithSummary("ClickPesa payment event (checksum verified when a checksum key is configured): stored once in the inbox and acknowledged at once; credited only after the status API confirms it")
            .AcceptsJson<ClickPesaEventDocument>()
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>Stripe's Checkout events; 404 when Stripe is not configured here.</summary>
    /// <summary>What the document shows of a Stripe event; the handler reads the raw bytes, because the signature covers them.</summary>
    public sealed record StripeEventDocument(string Id, string Type, long Created, System.Text.Json.JsonElement Data);

    /// <summary>What the document shows of a ClickPesa webhook (older deliveries name the event field differently).</summary>
    public sealed record ClickPesaEventDocument(string Event, System.Text.Json.JsonElement Data, string? Checksum);

    public static async Task<Results<Ok<Acknowledgement>, ProblemHttpResult>> Stripe(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        var verifier = context.RequestServices.GetService<StripeWebhookVerifier>();
        if (verifier is null)
        {
            return ApiProblems.NotFound("gateway_not_configured", "Stripe is not configured on this site.");
        }

        var (body, problem) = await ReadRawBodyAsync(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        var check = verifier.Verify(body, context.Request.Headers[StripeWebhookVerifier.HeaderName].ToString());
        if (check != StripeSignatureCheck.Valid)
        {
            return BadSignature(check switch
            {
                StripeSignatureCheck.MissingHeader => $"The {StripeWebhookVerifier.HeaderName} header is missing.",
                StripeSignatureCheck.MalformedHeader => $"The {StripeWebhookVerifier.HeaderName} header needs t=<unix seconds> and at least one v1=<hex>.",
                StripeSignatureCheck.OutsideTolerance => "The signature's timestamp is outside the allowed tolerance.",
                _ => "No v1 signature matches the body with this endpoint's signing secret.",
            });
        }

        if (JsonText.Check(body) == JsonTextCheck.NotUnicode)
        {
            return ApiBody.NotUnicode();
        }

        if (!TryReadEvent(body!, out var eventId, out var eventType))
        {
            return ApiProblems.BadRequest("malformed_event", "A Stripe event is a JSON object with string id and type.");
        }

        return await AcceptAsync(context, StripeGateway.GatewayName, eventId, eventType, Encoding.UTF8.GetString(body!));
    }

    private static bool TryReadEvent(byte[] body, out string eventId, out string eventType)
    {
        eventId = eventType = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                eventId = id.GetString()!;
                eventType = type.GetString()!;
                return eventId.Length is > 0 and <= WebhookInboxItem.MaxEventIdLength && eventType.Length > 0;
            }
        }
        catch (JsonException)
        {
            // Signed but not JSON: answered as malformed below.
        }

        return false;
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

    /// <summary>Stores a verified event (once per gateway event id) and, if it is new, triggers the inbox job.</summary>
    public static async Task<Ok<Acknowledgement>> AcceptAsync(HttpContext context, string gateway, string eventId, string eventType, string payload)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inbox = context.RequestServices.GetRequiredService<WebhookInbox>();
        var result = await inbox.AcceptAsync(gateway, eventId, eventType, payload, context.RequestAborted);
        if (result == AcceptResult.Accepted)
        {
            context.RequestServices.GetRequiredService<WebhookInboxTrigger>().RequestRun();
        }

        return TypedResults.Ok(new Acknowledgement(true, result == AcceptResult.Duplicate));
    }

    public static ProblemHttpResult BadSignature(string detail) =>
        ApiProblems.Problem(StatusCodes.Status401Unauthorized, "bad_webhook_signature", "Webhook signature not accepted", detail);

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "body_too_large", "Request too large", $"The body must be at most {maxBytes} bytes.");
}
