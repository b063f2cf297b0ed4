using Marketplace.Core.Payments.Webhooks;
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
        hooks.MapPost("/clickpesa", ClickPesaWebhooks.ReceiveAsync);
        return app;
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
            await context.RequestServices.GetRequiredService<WebhookInboxTrigger>().RequestRunAsync(context.RequestAborted);
        }

        return TypedResults.Ok(new Acknowledgement(true, result == AcceptResult.Duplicate));
    }

    public static ProblemHttpResult BadSignature(string detail) =>
        ApiProblems.Problem(StatusCodes.Status401Unauthorized, "bad_webhook_signature", "Webhook signature not accepted", detail);

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "body_too_large", "Request too large", $"The body must be at most {maxBytes} bytes.");
}
