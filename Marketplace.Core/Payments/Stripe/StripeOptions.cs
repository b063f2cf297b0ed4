using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Payments.Stripe;

/// <summary>
/// Stripe settings. The gateway is offered only when <c>STRIPE_SECRET_KEY</c> is set; then the webhook secret is
/// required too, and every present value must look right, or the start stops with a message naming the setting.
/// </summary>
public sealed partial class StripeOptions
{
    public const string DefaultApiVersion = "2026-02-25.clover";
    public static readonly Uri DefaultApiBase = new("https://api.stripe.com");

    public required string SecretKey { get; init; }

    public required string WebhookSecret { get; init; }

    public string? PublishableKey { get; init; }

    /// <summary>Tests point this at a fake; production leaves the default.</summary>
    public Uri ApiBase { get; init; } = DefaultApiBase;

    /// <summary>Sent as <c>Stripe-Version</c> on every request, so responses do not change under us when the account upgrades.</summary>
    public string ApiVersion { get; init; } = DefaultApiVersion;

    public int WebhookToleranceSeconds { get; init; } = 300;

    /// <summary>Retries of one request after a 429, a 5xx or a network failure (same idempotency key).</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>The first retry's wait; it doubles per retry and a Retry-After header (up to 10 s) wins.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Null when Stripe is not configured (no STRIPE_SECRET_KEY).</summary>
    public static StripeOptions? FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secretKey = ConfigurationValues.Text(configuration, "STRIPE_SECRET_KEY");
        var webhookSecret = ConfigurationValues.Text(configuration, "STRIPE_WEBHOOK_SECRET");
        var publishableKey = ConfigurationValues.Text(configuration, "STRIPE_PUBLISHABLE_KEY");
        if (secretKey is null)
        {
            return webhookSecret is null && publishableKey is null
                ? null
                : throw new InvalidOperationException("Configuration 'STRIPE_SECRET_KEY' is missing: STRIPE_WEBHOOK_SECRET or STRIPE_PUBLISHABLE_KEY is set, so Stripe needs its secret key too (or unset them).");
        }

        if (!SecretKeyPattern().IsMatch(secretKey))
        {
            throw ConfigurationValues.Invalid("STRIPE_SECRET_KEY", "a Stripe secret key starting with sk_test_, sk_live_, rk_test_ or rk_live_");
        }

        if (webhookSecret is null)
        {
            throw new InvalidOperationException("Configuration 'STRIPE_WEBHOOK_SECRET' is missing: with STRIPE_SECRET_KEY set, webhooks must be verifiable (copy the endpoint's signing secret, whsec_…).");
        }

        if (!WebhookSecretPattern().IsMatch(webhookSecret))
        {
            throw ConfigurationValues.Invalid("STRIPE_WEBHOOK_SECRET", "a webhook signing secret starting with whsec_");
        }

        if (publishableKey is not null && !PublishableKeyPattern().IsMatch(publishableKey))
        {
            throw ConfigurationValues.Invalid("STRIPE_PUBLISHABLE_KEY", "a publishable key starting with pk_test_ or pk_live_");
        }

        var apiVersion = ConfigurationValues.Text(configuration, "STRIPE_API_VERSION") ?? DefaultApiVersion;
        if (!ApiVersionPattern().IsMatch(apiVersion))
        {
            throw ConfigurationValues.Invalid("STRIPE_API_VERSION", "a Stripe API version such as " + DefaultApiVersion);
        }

        var maxRetriesText = ConfigurationValues.Text(configuration, "STRIPE_MAX_RETRIES");
        var maxRetries = 2;
        if (maxRetriesText is not null && (!int.TryParse(maxRetriesText, NumberStyles.None, CultureInfo.InvariantCulture, out maxRetries) || maxRetries > 10))
        {
            throw ConfigurationValues.Invalid("STRIPE_MAX_RETRIES", "a whole number from 0 to 10");
        }

        return new StripeOptions
        {
            SecretKey = secretKey,
            WebhookSecret = webhookSecret,
            PublishableKey = publishableKey,
            ApiBase = ConfigurationValues.HttpUrl(configuration, "STRIPE_API_BASE") ?? DefaultApiBase,
            ApiVersion = apiVersion,
            WebhookToleranceSeconds = ConfigurationValues.PositiveInt(configuration, "STRIPE_WEBHOOK_TOLERANCE_SECONDS", 300, max: 86_400),
            MaxRetries = maxRetries,
            RetryBaseDelay = ConfigurationValues.PositiveTimeSpan(configuration, "STRIPE_RETRY_BASE_DELAY", TimeSpan.FromMilliseconds(500)),
        };
    }

    [GeneratedRegex("^(sk|rk)_(test|live)_[A-Za-z0-9_]+$")]
    private static partial Regex SecretKeyPattern();

    [GeneratedRegex("^whsec_[A-Za-z0-9_+/=]+$")]
    private static partial Regex WebhookSecretPattern();

    [GeneratedRegex("^pk_(test|live)_[A-Za-z0-9_]+$")]
    private static partial Regex PublishableKeyPattern();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}(\\.[a-z]+)?$")]
    private static partial Regex ApiVersionPattern();
}
