using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Text;
using Marketplace.Core.Settings;
using Microsoft.Extensions.DependencyInjection;
using StripeSdk = global::Stripe;

namespace Marketplace.Core.Payments.Stripe;

/// <summary>
/// Card payments through a Stripe Checkout Session, over Stripe.net (its own form encoding, pinned API version and
/// network retries); offered only when Stripe's keys are configured. Each payment's requests carry an idempotency key
/// derived from it, so a retry never opens a second session. Webhooks are verified by Stripe.net's
/// <c>EventUtility.ConstructEvent</c>; the fields we act on are then read strictly from the stored event.
/// </summary>
public sealed class StripeGateway(StripeSdk.IStripeClient client, StripeOptions options, PaymentExpiryOptions expiry, TimeProvider clock) : IPaymentGateway, IGatewayRegistration
{
    public const string SignatureHeader = "Stripe-Signature";

    // Stripe accepts expires_at from 30 minutes to 24 hours ahead.
    private static readonly TimeSpan MinSessionLifetime = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan MaxSessionLifetime = TimeSpan.FromHours(24);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string GatewayName => "stripe";

    public string Name => GatewayName;

    public string DisplayName => "Card (Stripe)";

    public HostedCheckoutOrigin? CheckoutOrigin => HostedCheckoutOrigin.For(options.ApiBase, StripeOptions.DefaultApiBase, "https://checkout.stripe.com");

    public bool ExpiresByAge => true;

    /// <summary>Stripe is offered only with its keys; a present but invalid Stripe setting stops the start here.</summary>
    public static bool TryAdd(IServiceCollection services, StartupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var stripe = settings.Read<StripeOptions>();
        if (!stripe.IsConfigured)
        {
            return false;
        }

        services.AddSettings<StripeOptions>();
        // Stripe.net appends "/v1/…" to the base as text, so it must not end with a slash.
        services.AddSingleton<StripeSdk.IStripeClient>(new StripeSdk.StripeClient(stripe.SecretKey, apiBase: stripe.ApiBase.AbsoluteUri.TrimEnd('/')));
        return true;
    }

    /// <summary>One key per payment and operation: the same payment never opens two sessions, however often it is retried.</summary>
    public static string IdempotencyKey(Guid paymentId, string operation) => $"marketplace-{operation}-{paymentId:N}";

    public bool Supports(Currency currency) => StripeAmounts.Supports(currency);

    public async Task<StartResult> StartAsync(Payment payment, Uri siteOrigin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var returnPage = new Uri(siteOrigin, $"/payments/{payment.Id}");
        var lifetime = expiry.ExpireAfter < MinSessionLifetime ? MinSessionLifetime : expiry.ExpireAfter > MaxSessionLifetime ? MaxSessionLifetime : expiry.ExpireAfter;
        var paymentId = payment.Id.ToString("N");
        var create = new StripeSdk.Checkout.SessionCreateOptions
        {
            Mode = "payment",
            LineItems =
            [
                new()
                {
                    PriceData = new()
                    {
                        Currency = payment.Currency.ToLowerInvariant(),
                        UnitAmount = StripeAmounts.ToStripeMinor(payment.Amount),
                        ProductData = new() { Name = payment.WhatItBuys },
                    },
                    Quantity = 1,
                },
            ],
            // Stripe fills in {CHECKOUT_SESSION_ID}; the return page does not need it, but it helps when reading logs.
            SuccessUrl = returnPage.AbsoluteUri + "?session_id={CHECKOUT_SESSION_ID}",
            CancelUrl = new Uri(siteOrigin, $"/payments/{payment.Id}/cancelled").AbsoluteUri,
            ClientReferenceId = paymentId,
            Metadata = new() { ["payment_id"] = paymentId },
            PaymentIntentData = new() { Metadata = new() { ["payment_id"] = paymentId } },
            ExpiresAt = (clock.GetUtcNow() + lifetime).UtcDateTime,
        };
        try
        {
            var session = await Sessions.CreateAsync(create, Once(payment.Id, "checkout"), cancellationToken);
            return Uri.TryCreate(session.Url, UriKind.Absolute, out var url)
                ? new StartResult.Redirect(url, session.Id)
                : new StartResult.Failed("gateway_unavailable", "Stripe created a session without a checkout URL.", Unavailable: true);
        }
        catch (StripeSdk.StripeException ex)
        {
            return Failed(ex);
        }
        catch (Exception ex) when (IsNetworkFailure(ex, cancellationToken))
        {
            return new StartResult.Failed("gateway_unavailable", $"Stripe could not be reached: {ex.Message}", Unavailable: true);
        }
    }

    /// <summary>Expires the session at Stripe; only open sessions can be, so otherwise it asks what became of it.</summary>
    public async Task<CheckoutClosing> CloseAsync(Payment payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (string.IsNullOrEmpty(payment.ProviderReference))
        {
            // No session was ever created (Stripe refused or the app stopped in between): nothing to close.
            return CheckoutClosing.Closed;
        }

        try
        {
            await Sessions.ExpireAsync(payment.ProviderReference, requestOptions: Once(payment.Id, "expire"), cancellationToken: cancellationToken);
            return CheckoutClosing.Closed;
        }
        catch (StripeSdk.StripeException)
        {
            // Not open any more (or not there): the current state decides.
        }
        catch (Exception ex) when (IsNetworkFailure(ex, cancellationToken))
        {
            return CheckoutClosing.TryLater;
        }

        try
        {
            var current = await Sessions.GetAsync(payment.ProviderReference, cancellationToken: cancellationToken);
            return current.Status switch
            {
                "expired" => CheckoutClosing.Closed,
                "complete" => CheckoutClosing.Paid,
                _ => CheckoutClosing.TryLater,
            };
        }
        catch (StripeSdk.StripeException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return CheckoutClosing.Closed;
        }
        catch (Exception ex) when (ex is StripeSdk.StripeException || IsNetworkFailure(ex, cancellationToken))
        {
            return CheckoutClosing.TryLater;
        }
    }

    public WebhookReading ReadWebhook(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.Header(SignatureHeader) is not { Length: > 0 } header || string.IsNullOrWhiteSpace(header))
        {
            return new WebhookReading.Rejected($"The {SignatureHeader} header is missing.");
        }

        string json;
        try
        {
            // The signature covers the bytes as sent; decoded strictly, re-encoding gives exactly those bytes back.
            json = StrictUtf8.GetString(delivery.Body);
        }
        catch (DecoderFallbackException)
        {
            return NotUnicode();
        }

        StripeSdk.Event? parsed;
        try
        {
            parsed = StripeSdk.EventUtility.ConstructEvent(json, header, options.WebhookSecret, options.WebhookToleranceSeconds, clock.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeSdk.StripeException ex)
        {
            return new WebhookReading.Rejected(ex.Message);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return new WebhookReading.Rejected($"The {SignatureHeader} timestamp cannot be read.");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            // The signature was good (it is checked first); Stripe.net cannot read the body as an Event. If its id and
            // type can be read, it is stored all the same, and the job parks it naming the field that is wrong.
            parsed = null;
        }

        switch (JsonText.Check(delivery.Body))
        {
            case JsonTextCheck.NotUnicode:
                return NotUnicode();
            case JsonTextCheck.Malformed:
                return MalformedEvent();
        }

        var (id, type) = parsed is { } evt ? (evt.Id, evt.Type) : IdAndType(json);
        return id is { Length: > 0 and <= WebhookInboxItem.MaxEventIdLength } && type is { Length: > 0 }
            ? new WebhookReading.InboxEvent(id, type, json)
            : MalformedEvent();
    }

    public PaymentEvent ReadEvent(WebhookInboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.EventType == StripeEvents.ChargeRefunded)
        {
            return ReadRefund(item);
        }

        if (!StripeEvents.IsSessionEvent(item.EventType))
        {
            return new PaymentEvent.Ignored($"{item.EventType} is not an event we act on.");
        }

        using var document = JsonDocument.Parse(item.Payload);
        // Signed by Stripe, yet no retry will change a field's type: a wrong one is an admin's question, not a retry.
        if (!StripeSessionEvent.TryRead(document.RootElement, out var session, out var problem))
        {
            return new PaymentEvent.Unreadable(problem);
        }

        if (!Guid.TryParse(session.MetadataPaymentId ?? session.ClientReferenceId, out var paymentId))
        {
            // Sessions this app did not create (another integration on the same account) are none of our business.
            return new PaymentEvent.Ignored("The session carries no payment id of ours.");
        }

        var key = new PaymentKey(paymentId, session.Id);
        PaymentNews news = item.EventType switch
        {
            // A delayed method (bank debit): async_payment_succeeded or _failed follows.
            StripeEvents.Completed when session.PaymentStatus is not ("paid" or "no_payment_required") => new PaymentNews.Waiting("Completed but not paid yet; waiting for the async outcome."),
            StripeEvents.Completed or StripeEvents.AsyncSucceeded => Paid(session.AmountTotal, session.Currency),
            StripeEvents.AsyncFailed => new PaymentNews.Failed("The payment did not go through at Stripe."),
            _ => new PaymentNews.Expired(),
        };
        return new PaymentEvent.About(key, news);
    }

    /// <summary>A signed Stripe event is Stripe's own word: nothing to ask.</summary>
    public Task<PaymentNews> ConfirmAsync(Payment payment, PaymentNews news, CancellationToken cancellationToken) => Task.FromResult(news);

    private StripeSdk.Checkout.SessionService Sessions => new(client);

    private static StripeSdk.RequestOptions Once(Guid paymentId, string operation) => new() { IdempotencyKey = IdempotencyKey(paymentId, operation) };

    private static PaymentEvent ReadRefund(WebhookInboxItem item)
    {
        using var document = JsonDocument.Parse(item.Payload);
        if (!StripeChargeEvent.TryRead(document.RootElement, out var charge, out var problem))
        {
            return new PaymentEvent.Unreadable(problem);
        }

        if (!Guid.TryParse(charge.MetadataPaymentId, out var paymentId))
        {
            return new PaymentEvent.Ignored("The refunded charge carries no payment id of ours.");
        }

        var refunded = Units(charge.AmountRefunded, charge.Currency);
        var of = Units(charge.Amount, charge.Currency);
        return new PaymentEvent.About(
            new PaymentKey(paymentId),
            new PaymentNews.Refunded($"Stripe refunded {refunded} of {of} (Stripe minor units) on charge {charge.Id ?? "?"}{(charge.PaymentIntent is null ? string.Empty : $", payment intent {charge.PaymentIntent}")}"));
    }

    private static PaymentNews.Paid Paid(long? amountTotal, string? currency) =>
        new(StripeAmounts.FromStripeMinor(amountTotal, currency), Units(amountTotal, currency) + " (Stripe minor units)");

    private static string Units(long? amount, string? currency) =>
        $"{amount?.ToString(CultureInfo.InvariantCulture) ?? "?"} {currency?.ToUpperInvariant() ?? "?"}";

    private static (string? Id, string? Type) IdAndType(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? (id.GetString(), type.GetString())
                : (null, null);
    }

    private static StartResult.Failed Failed(StripeSdk.StripeException ex)
    {
        var status = (int)ex.HttpStatusCode;
        var code = status switch
        {
            401 or 403 => "gateway_misconfigured",
            402 => "payment_declined",
            409 => "gateway_conflict",
            429 => "gateway_busy",
            >= 500 or 0 => "gateway_unavailable",
            _ => "gateway_rejected",
        };
        var stripeCode = ex.StripeError?.Code;
        return new StartResult.Failed(code, $"Stripe answered {status}{(stripeCode is null ? string.Empty : $" ({stripeCode})")}: {ex.StripeError?.Message ?? ex.Message}", Unavailable: status is 0 or 429 or >= 500);
    }

    // Stripe.net has retried already (its own rules) when one of these reaches us.
    private static bool IsNetworkFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static WebhookReading.Malformed NotUnicode() => new("malformed_json", "The body is not valid Unicode JSON text.");

    private static WebhookReading.Malformed MalformedEvent() => new("malformed_event", "A Stripe event is a JSON object with string id and type.");
}

/// <summary>Stripe counts amounts in its own minor units: two decimals for USD, EUR and TZS (TZS is not zero-decimal at Stripe, while our TZS has none).</summary>
public static class StripeAmounts
{
    private const int StripeDecimals = 2;

    public static bool Supports(Currency currency) => currency == Currency.Usd || currency == Currency.Eur || currency == Currency.Tzs;

    public static long ToStripeMinor(Money amount) => checked(amount.Minor * Factor(amount.Currency));

    /// <summary>Stripe's amount as our money, or null when it is not a whole number of our minor units in a currency we know.</summary>
    public static Money? FromStripeMinor(long? amount, string? currency)
    {
        if (amount is not { } units || !Currency.TryFind(currency?.ToUpperInvariant(), out var found) || !Supports(found))
        {
            return null;
        }

        var factor = Factor(found);
        return units % factor == 0 ? new Money(units / factor, found) : null;
    }

    private static long Factor(Currency currency)
    {
        var factor = 1L;
        for (var i = currency.Decimals; i < StripeDecimals; i++)
        {
            factor *= 10;
        }

        return factor;
    }
}
