using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Hosting;

public sealed class WhenTheReconciliationScheduleIsInvalid
{
    [Fact]
    public void The_app_does_not_start_and_names_the_setting()
    {
        using var app = new AppWithCron("every night at two");

        var error = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains("Reconciliation__Cron", error.Message, StringComparison.Ordinal);
    }

    private sealed class AppWithCron(string cron) : MarketplaceApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Reconciliation:Cron", cron);
        }
    }
}
