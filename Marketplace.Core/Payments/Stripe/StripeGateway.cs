namespace Marketplace.Core.Payments.Stripe;

/// <summary>Card payments through a Stripe Checkout Session; offered only when Stripe's keys are configured.</summary>
public sealed class StripeGateway(StripeClient client, PaymentExpiryOptions expiry, TimeProvider clock) : IPaymentGateway, ICheckoutExpiry
{
    public const string GatewayName = "stripe";

    // Stripe accepts expires_at from 30 minutes to 24 hours ahead.
    private static readonly TimeSpan MinSessionLifetime = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan MaxSessionLifetime = TimeSpan.FromHours(24);

    public string Name => GatewayName;

    public string DisplayName => "Card (Stripe)";

    public bool Supports(Currency currency) => StripeAmounts.Supports(currency);

    public async Task<GatewayCheckout> StartCheckoutAsync(Payment payment, Uri siteOrigin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var returnPage = new Uri(siteOrigin, $"/payments/{payment.Id}");
        var lifetime = expiry.ExpireAfter < MinSessionLifetime ? MinSessionLifetime : expiry.ExpireAfter > MaxSessionLifetime ? MaxSessionLifetime : expiry.ExpireAfter;
        var request = new StripeCheckoutRequest(
            payment.Id,
            StripeAmounts.ToStripeMinor(payment.Amount),
            payment.Currency,
            $"{payment.Credits.ToDisplayString()} marketplace credits",
            // Stripe fills in {CHECKOUT_SESSION_ID}; the return page does not need it, but it helps when reading logs.
            returnPage.AbsoluteUri + "?session_id={CHECKOUT_SESSION_ID}",
            returnPage.AbsoluteUri,
            clock.GetUtcNow() + lifetime);
        var result = await client.CreateCheckoutSessionAsync(request, cancellationToken);
        return result switch
        {
            StripeResult<StripeCheckoutSession>.Ok { Value: { Url: { } url } session } when Uri.TryCreate(url, UriKind.Absolute, out var uri) => new GatewayCheckout(uri, session.Id),
            StripeResult<StripeCheckoutSession>.Ok => throw new PaymentGatewayException("gateway_unavailable", "Stripe created a session without a checkout URL.", unavailable: true),
            StripeResult<StripeCheckoutSession>.Failed failed => throw failed.Error.ToException(),
            _ => throw new InvalidOperationException($"Unexpected {result}."),
        };
    }

    public async Task<CheckoutExpiry> CloseCheckoutAsync(Payment payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (string.IsNullOrEmpty(payment.ProviderReference))
        {
            // No session was ever created (Stripe refused or the app stopped in between): nothing to close.
            return CheckoutExpiry.Expired;
        }

        var expired = await client.ExpireCheckoutSessionAsync(payment.Id, payment.ProviderReference, cancellationToken);
        if (expired is StripeResult<StripeCheckoutSession>.Ok)
        {
            return CheckoutExpiry.Expired;
        }

        // Only open sessions can be expired: ask what became of it.
        var current = await client.RetrieveCheckoutSessionAsync(payment.ProviderReference, cancellationToken);
        return current switch
        {
            StripeResult<StripeCheckoutSession>.Ok { Value.Status: "expired" } => CheckoutExpiry.Expired,
            StripeResult<StripeCheckoutSession>.Ok { Value.Status: "complete" } => CheckoutExpiry.Completed,
            StripeResult<StripeCheckoutSession>.Failed { Error.Status: 404 } => CheckoutExpiry.Expired,
            _ => CheckoutExpiry.TryLater,
        };
    }
}

/// <summary>Stripe counts amounts in its own minor units: two decimals for USD, EUR and TZS (TZS is not zero-decimal at Stripe, while our TZS has none).</summary>
public static class StripeAmounts
{
    private const int StripeDecimals = 2;

    public static bool Supports(Currency currency) => currency == Currency.Usd || currency == Currency.Eur || currency == Currency.Tzs;

    public static long ToStripeMinor(Money amount)
    {
        var factor = 1L;
        for (var i = amount.Currency.Decimals; i < StripeDecimals; i++)
        {
            factor *= 10;
        }

        return checked(amount.Minor * factor);
    }

    /// <summary>True when Stripe's amount_total and currency are exactly this payment's amount.</summary>
    public static bool Matches(Payment payment, long? amountTotal, string? currency)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return amountTotal is { } total
            && string.Equals(currency, payment.Currency, StringComparison.OrdinalIgnoreCase)
            && total == ToStripeMinor(payment.Amount);
    }
}
