using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>Every limit this issue added is read at start: a value that is present but invalid stops the start, naming the setting.</summary>
public sealed class WhenALimitIsMisconfigured
{
    [Theory]
    [InlineData("Marketplace:MaxAmount", "lots", "Marketplace__MaxAmount")]
    [InlineData("Marketplace:MaxAmount", "0", "Marketplace__MaxAmount")]
    [InlineData("Payments:MaxOpenPayments", "0", "Payments__MaxOpenPayments")]
    [InlineData("Payments:MaxOpenBankTransfers", "three", "Payments__MaxOpenBankTransfers")]
    [InlineData("Catalog:MaxListingsPerSeller", "-1", "Catalog__MaxListingsPerSeller")]
    [InlineData("RateLimits:InitiatePerMinute", "10/min", "RateLimits__InitiatePerMinute")]
    [InlineData("Webhooks:InstanceId", "a-name-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on", "Webhooks__InstanceId")]
    public void The_app_does_not_start_and_names_the_setting(string key, string value, string named)
    {
        using var app = new AppWith(key, value);

        var error = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private sealed class AppWith(string key, string value) : MarketplaceApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting(key, value);
        }
    }
}
