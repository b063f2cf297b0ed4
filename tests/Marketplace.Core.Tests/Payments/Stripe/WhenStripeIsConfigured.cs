using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Tests.Support;
using Microsoft.Extensions.Options;

namespace Marketplace.Core.Tests.Payments.Stripe;

public sealed class WhenStripeIsConfigured
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["STRIPE_SECRET_KEY"] = "sk_test_abc123",
        ["STRIPE_WEBHOOK_SECRET"] = "whsec_abc123",
    };

    [Fact]
    public void Without_a_secret_key_stripe_is_not_offered()
    {
        Assert.False(SettingsReading.Read<StripeOptions>([]).IsConfigured);
    }

    [Fact]
    public void With_its_keys_it_uses_the_documented_defaults()
    {
        var options = SettingsReading.Read<StripeOptions>(Valid);

        Assert.Equal(new Uri("https://api.stripe.com"), options.ApiBase);
        Assert.Equal(300, options.WebhookToleranceSeconds);
        Assert.Equal(StripeOptions.DefaultApiVersion, options.ApiVersion);
    }

    [Theory]
    [InlineData("STRIPE_SECRET_KEY", "pk_test_abc")]
    [InlineData("STRIPE_SECRET_KEY", "sk_prod_abc")]
    [InlineData("STRIPE_WEBHOOK_SECRET", "secret")]
    [InlineData("STRIPE_PUBLISHABLE_KEY", "sk_test_abc")]
    [InlineData("STRIPE_API_BASE", "api.stripe.com")]
    [InlineData("STRIPE_API_BASE", "ftp://api.stripe.com")]
    [InlineData("STRIPE_API_VERSION", "latest")]
    [InlineData("STRIPE_WEBHOOK_TOLERANCE_SECONDS", "-5")]
    [InlineData("STRIPE_MAX_RETRIES", "many")]
    [InlineData("STRIPE_MAX_RETRIES", "2")]
    [InlineData("STRIPE_RETRY_BASE_DELAY", "00:00:00.500")]
    [InlineData("STRIPE_API_VERSION", "2026-10-28.endive")]
    public void A_present_but_invalid_setting_stops_the_start_naming_it(string key, string value)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };

        var error = Assert.Throws<OptionsValidationException>(() => SettingsReading.Read<StripeOptions>(settings));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("STRIPE_WEBHOOK_SECRET")]
    [InlineData("STRIPE_SECRET_KEY")]
    public void Half_a_configuration_stops_the_start_naming_what_is_missing(string missing)
    {
        var settings = new Dictionary<string, string?>(Valid);
        settings.Remove(missing);

        var error = Assert.Throws<OptionsValidationException>(() => SettingsReading.Read<StripeOptions>(settings));

        Assert.Contains($"'{missing}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Webhooks:MaxAttempts", "0", "Webhooks__MaxAttempts")]
    [InlineData("Webhooks:RetryBaseDelay", "soon", "Webhooks__RetryBaseDelay")]
    [InlineData("Webhooks:ProcessingEnabled", "yes", "Webhooks__ProcessingEnabled")]
    public void An_invalid_webhook_setting_stops_the_start_naming_it(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => SettingsReading.Read<WebhookOptions>(new() { [key] = value }));

        Assert.Contains($"'{named}'", error.Message, StringComparison.Ordinal);
    }

}
