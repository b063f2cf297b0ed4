using Marketplace.Core.Payments;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>
/// Every area's settings are read one way: a value that is present but wrong stops the start with a message naming the
/// environment variable, whether the binder could not convert it or the area's own check refused it.
/// </summary>
public sealed class WhenASettingIsInvalid
{
    [Theory]
    // The product, its limits and prices.
    [InlineData("PUBLIC_BASE_URL", "shop.example.com", "PUBLIC_BASE_URL")]
    [InlineData("DEMO_PAYMENT", "yes", "DEMO_PAYMENT")]
    [InlineData("Marketplace:WelcomeGrant", "-5", "Marketplace__WelcomeGrant")]
    [InlineData("Marketplace:CommissionPercent", "120", "Marketplace__CommissionPercent")]
    [InlineData("Marketplace:MaxAmount", "lots", "Marketplace__MaxAmount")]
    [InlineData("Marketplace:MaxAmount", "0", "Marketplace__MaxAmount")]
    [InlineData("Marketplace:HoldExpiryDays", "400", "Marketplace__HoldExpiryDays")]
    [InlineData("CreditPrices:USD", "0", "CreditPrices__USD")]
    [InlineData("CreditPrices:GBP", "1.00", "CreditPrices__GBP")]
    [InlineData("Payments:MaxOpenPayments", "0", "Payments__MaxOpenPayments")]
    [InlineData("Payments:MaxOpenBankTransfers", "three", "Payments__MaxOpenBankTransfers")]
    [InlineData("Catalog:MaxListingsPerSeller", "-1", "Catalog__MaxListingsPerSeller")]
    [InlineData("Delivery:MaxFileMegabytes", "0", "Delivery__MaxFileMegabytes")]
    [InlineData("Delivery:MaxFileMegabytes", "25MB", "Delivery__MaxFileMegabytes")]
    // Payments and their gateways.
    [InlineData("Payments:ExpireAfter", "abc", "Payments__ExpireAfter")]
    [InlineData("Payments:ExpireAfter", "-00:10:00", "Payments__ExpireAfter")]
    [InlineData("Packages:0:Credits", "five hundred", "Packages__0__Credits")]
    [InlineData("STRIPE_SECRET_KEY", "pk_test_abc", "STRIPE_SECRET_KEY")]
    [InlineData("STRIPE_WEBHOOK_TOLERANCE_SECONDS", "5 minutes", "STRIPE_WEBHOOK_TOLERANCE_SECONDS")]
    [InlineData("CLICKPESA_API_KEY", "key", "CLICKPESA_CLIENT_ID")]
    [InlineData("ClickPesa:TokenRenewBefore", "soon", "ClickPesa__TokenRenewBefore")]
    [InlineData("Bank:MinimumAmount", "ten", "Bank__MinimumAmount")]
    [InlineData("Webhooks:RetryBaseDelay", "soon", "Webhooks__RetryBaseDelay")]
    [InlineData("Webhooks:ProcessingEnabled", "yes", "Webhooks__ProcessingEnabled")]
    [InlineData("Webhooks:InstanceId", "a-name-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on", "Webhooks__InstanceId")]
    // Accounts, sessions, mail and rate limits.
    [InlineData("Sessions:IdleTimeout", "two weeks", "Sessions__IdleTimeout")]
    [InlineData("Sessions:RecheckInterval", "00:05:00", "Sessions__RecheckInterval")]
    [InlineData("SMTP_PORT", "70000", "SMTP_PORT")]
    [InlineData("SMTP_HOST", "smtp.example.com", "SMTP_FROM")]
    [InlineData("RateLimits:AuthPerMinute", "0", "RateLimits__AuthPerMinute")]
    [InlineData("RateLimits:RecoverPerHour", "ten", "RateLimits__RecoverPerHour")]
    [InlineData("RateLimits:InitiatePerMinute", "10/min", "RateLimits__InitiatePerMinute")]
    [InlineData("RateLimits:RecipientLookupsPerMinute", "0", "RateLimits__RecipientLookupsPerMinute")]
    // Jobs and the ledger.
    [InlineData("Reconciliation:Cron", "every night at two", "Reconciliation__Cron")]
    [InlineData("Reconciliation:Cron", "0 0 2 * * ? 2026", "Reconciliation__Cron")]
    [InlineData("Webhooks:SweepCron", "every minute", "Webhooks__SweepCron")]
    [InlineData("Payments:ExpiryCron", "*/5 * * *", "Payments__ExpiryCron")]
    [InlineData("Jobs:HoldExpiryCron", "61 * * * *", "Jobs__HoldExpiryCron")]
    [InlineData("Jobs:SessionSweepCron", "hourly", "Jobs__SessionSweepCron")]
    [InlineData("Ledger:CheckpointInterval", "00:07:00", "Ledger__CheckpointInterval")]
    [InlineData("Ledger:CheckpointInterval", "ten minutes", "Ledger__CheckpointInterval")]
    [InlineData("Ledger:CheckpointInterval", "2.00:00:00", "Ledger__CheckpointInterval")]
    // Hosting and storage.
    [InlineData("FORWARDED_PROXIES", "10.0.0.0/8, the-load-balancer", "FORWARDED_PROXIES")]
    [InlineData("Hosting:ShutdownTimeout", "30s", "Hosting__ShutdownTimeout")]
    [InlineData("Logging:Format", "xml", "Logging__Format")]
    [InlineData("Database:Provider", "Oracle", "Database__Provider")]
    // Keys.
    [InlineData("DataProtection:CertificatePath", "/no/such/certificate.pfx", "DataProtection__CertificatePath")]
    [InlineData("DataProtection:PreviousCertificatePath", "/no/such/certificate.pfx", "DataProtection__PreviousCertificatePath")]
    [InlineData("RECEIPT_SIGNING_KEY", "not-a-seed", "RECEIPT_SIGNING_KEY")]
    [InlineData("RECEIPT_SIGNING_KEY_FILE", "/no/such/receipt.key", "RECEIPT_SIGNING_KEY_FILE")]
    public void The_app_does_not_start_and_names_the_environment_variable(string key, string value, string named)
    {
        using var app = new AppWith((key, value));

        var message = StartFailure(app);

        Assert.Contains($"Configuration '{named}' ", message, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{key}'", message.Replace($"'{named}'", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to convert", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_the_binder_cannot_convert_is_reported_like_any_other()
    {
        using var app = new AppWith(("Payments:ExpireAfter", "abc"));

        Assert.Equal("Configuration 'Payments__ExpireAfter' is set but invalid: expected a time span such as 00:05:00.", StartFailure(app));
    }

    [Fact]
    public void A_blank_value_is_unset_and_keeps_the_default()
    {
        using var app = new AppWith(("Payments:ExpireAfter", " "), ("Payments:MaxOpenPayments", string.Empty), ("STRIPE_SECRET_KEY", string.Empty));
        _ = app.CreateClient();

        Assert.Equal(TimeSpan.FromHours(1), app.Services.GetRequiredService<PaymentExpiryOptions>().ExpireAfter);
        Assert.Equal(10, app.Services.GetRequiredService<Core.MarketplaceOptions>().MaxOpenPayments);
        Assert.DoesNotContain(app.Services.CreateScope().ServiceProvider.GetServices<IPaymentGateway>(), g => g.Name == "stripe");
    }

    [Fact]
    public void Several_wrong_values_are_all_named_at_once()
    {
        using var app = new AppWith(("Webhooks:MaxAttempts", "0"), ("Webhooks:RetryMaxDelay", "-01:00:00"));

        var message = StartFailure(app);

        Assert.Contains("'Webhooks__MaxAttempts'", message, StringComparison.Ordinal);
        Assert.Contains("'Webhooks__RetryMaxDelay'", message, StringComparison.Ordinal);
    }

    internal static string StartFailure(MarketplaceApp app) => Assert.Throws<OptionsValidationException>(() => app.CreateClient()).Message;

    private sealed class AppWith(params (string Key, string Value)[] settings) : MarketplaceApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
