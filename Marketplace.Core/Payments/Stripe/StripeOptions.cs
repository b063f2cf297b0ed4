using System.Text.RegularExpressions;
using Marketplace.Core.Settings;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Payments.Stripe;

/// <summary>
/// Stripe settings. The gateway is offered only when <c>STRIPE_SECRET_KEY</c> is set; then the webhook secret is
/// required too, and every present value must look right, or the start stops with a message naming the setting.
/// </summary>
public sealed partial class StripeOptions : ISettings<StripeOptions>
{
    public static readonly Uri DefaultApiBase = new("https://api.stripe.com");

    public static string Section => string.Empty;

    /// <summary>Settings of the hand-written client that Stripe.net made meaningless: still set, they stop the start.</summary>
    public static IReadOnlyList<RemovedSetting> Removed { get; } =
    [
        new("STRIPE_API_VERSION", $"Stripe.net pins the API version its types are written for ({DefaultApiVersion}). Unset it."),
        new("STRIPE_MAX_RETRIES", $"Stripe.net retries by its own rules ({DefaultApiVersion}). Unset it."),
        new("STRIPE_RETRY_BASE_DELAY", $"Stripe.net retries by its own rules ({DefaultApiVersion}). Unset it."),
    ];

    /// <summary>Empty when Stripe is not configured.</summary>
    [ConfigurationKeyName("STRIPE_SECRET_KEY")]
    public string SecretKey { get; init; } = string.Empty;

    [ConfigurationKeyName("STRIPE_WEBHOOK_SECRET")]
    public string WebhookSecret { get; init; } = string.Empty;

    [ConfigurationKeyName("STRIPE_PUBLISHABLE_KEY")]
    public string? PublishableKey { get; init; }

    /// <summary>Tests point this at a fake; production leaves the default.</summary>
    [ConfigurationKeyName("STRIPE_API_BASE")]
    public Uri ApiBase { get; init; } = DefaultApiBase;

    /// <summary>The API version Stripe.net sends as <c>Stripe-Version</c> and reads responses and events as.</summary>
    public static string DefaultApiVersion => global::Stripe.StripeConfiguration.ApiVersion;

    public string ApiVersion { get; } = DefaultApiVersion;

    [ConfigurationKeyName("STRIPE_WEBHOOK_TOLERANCE_SECONDS")]
    public int WebhookToleranceSeconds { get; init; } = 300;

    /// <summary>Stripe is offered only with its secret key.</summary>
    public bool IsConfigured => SecretKey.Length > 0;

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (!IsConfigured)
        {
            if (WebhookSecret.Length > 0 || PublishableKey is not null)
            {
                check.Missing(check.Key(nameof(SecretKey)), "STRIPE_WEBHOOK_SECRET or STRIPE_PUBLISHABLE_KEY is set, so Stripe needs its secret key too (or unset them)");
            }

            return;
        }

        if (!SecretKeyPattern().IsMatch(SecretKey))
        {
            check.Invalid(check.Key(nameof(SecretKey)), "a Stripe secret key starting with sk_test_, sk_live_, rk_test_ or rk_live_");
        }

        if (WebhookSecret.Length == 0)
        {
            check.Missing(check.Key(nameof(WebhookSecret)), "with STRIPE_SECRET_KEY set, webhooks must be verifiable (copy the endpoint's signing secret, whsec_…)");
        }
        else if (!WebhookSecretPattern().IsMatch(WebhookSecret))
        {
            check.Invalid(check.Key(nameof(WebhookSecret)), "a webhook signing secret starting with whsec_");
        }

        if (PublishableKey is not null && !PublishableKeyPattern().IsMatch(PublishableKey))
        {
            check.Invalid(check.Key(nameof(PublishableKey)), "a publishable key starting with pk_test_ or pk_live_");
        }

        check.HttpUrl(nameof(ApiBase), ApiBase);
        check.WholeNumber(nameof(WebhookToleranceSeconds), WebhookToleranceSeconds, 1, 86_400);
    }

    [GeneratedRegex("^(sk|rk)_(test|live)_[A-Za-z0-9_]+$")]
    private static partial Regex SecretKeyPattern();

    [GeneratedRegex("^whsec_[A-Za-z0-9_+/=]+$")]
    private static partial Regex WebhookSecretPattern();

    [GeneratedRegex("^pk_(test|live)_[A-Za-z0-9_]+$")]
    private static partial Regex PublishableKeyPattern();
}
