using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Payments.Stripe;

/// <summary>
/// Stripe settings. The gateway is offered only when <c>STRIPE_SECRET_KEY</c> is set; then the webhook secret is
/// required too, and every present value must look right, or the start stops with a message naming the setting.
/// </summary>
public sealed partial class StripeOptions
{
    public static readonly Uri DefaultApiBase = new("https://api.stripe.com");

    /// <summary>Settings of the hand-written client that Stripe.net made meaningless: still set, they stop the start.</summary>
    private static readonly (string Key, string Why)[] NoLongerRead =
    [
        ("STRIPE_API_VERSION", "Stripe.net pins the API version its types are written for"),
        ("STRIPE_MAX_RETRIES", "Stripe.net retries by its own rules"),
        ("STRIPE_RETRY_BASE_DELAY", "Stripe.net retries by its own rules"),
    ];

    public required string SecretKey { get; init; }

    public required string WebhookSecret { get; init; }

    public string? PublishableKey { get; init; }

    /// <summary>Tests point this at a fake; production leaves the default.</summary>
    public Uri ApiBase { get; init; } = DefaultApiBase;

    /// <summary>The API version Stripe.net sends as <c>Stripe-Version</c> and reads responses and events as.</summary>
    public static string DefaultApiVersion => global::Stripe.StripeConfiguration.ApiVersion;

    public string ApiVersion { get; } = DefaultApiVersion;

    public int WebhookToleranceSeconds { get; init; } = 300;

    /// <summary>Null when Stripe is not configured (no STRIPE_SECRET_KEY).</summary>
    public static StripeOptions? FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (key, why) in NoLongerRead)
        {
            if (ConfigurationValues.Text(configuration, key) is not null)
            {
                throw new InvalidOperationException($"Configuration '{key}' is no longer read: {why} ({DefaultApiVersion}). Unset it.");
            }
        }

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

        return new StripeOptions
        {
            SecretKey = secretKey,
            WebhookSecret = webhookSecret,
            PublishableKey = publishableKey,
            ApiBase = ConfigurationValues.HttpUrl(configuration, "STRIPE_API_BASE") ?? DefaultApiBase,
            WebhookToleranceSeconds = ConfigurationValues.PositiveInt(configuration, "STRIPE_WEBHOOK_TOLERANCE_SECONDS", 300, max: 86_400),
        };
    }

    [GeneratedRegex("^(sk|rk)_(test|live)_[A-Za-z0-9_]+$")]
    private static partial Regex SecretKeyPattern();

    [GeneratedRegex("^whsec_[A-Za-z0-9_+/=]+$")]
    private static partial Regex WebhookSecretPattern();

    [GeneratedRegex("^pk_(test|live)_[A-Za-z0-9_]+$")]
    private static partial Regex PublishableKeyPattern();
}
