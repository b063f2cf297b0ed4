using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>Invalid schedules are in <see cref="WhenASettingIsInvalid"/>; these are what a schedule setting does besides.</summary>
public sealed class WhenAJobScheduleIsInvalid
{
    [Theory]
    [InlineData("Webhooks:SweepInterval", "Webhooks__SweepCron")]
    [InlineData("Payments:ExpirySweepInterval", "Payments__ExpiryCron")]
    [InlineData("Jobs:HoldExpiryInterval", "Jobs__HoldExpiryCron")]
    public void A_removed_interval_setting_stops_the_start_naming_its_replacement(string removed, string replacement)
    {
        using var app = new AppWithSettings(new() { [removed] = "00:01:00" });

        var message = WhenASettingIsInvalid.StartFailure(app);

        Assert.Contains($"'{removed.Replace(":", "__", StringComparison.Ordinal)}' is no longer read", message, StringComparison.Ordinal);
        Assert.Contains(replacement, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seconds_and_a_never_firing_day_are_accepted_and_registered_as_given()
    {
        using var app = new AppWithSettings(new() { ["Webhooks:SweepCron"] = "*/10 * * * * *", ["Reconciliation:Cron"] = "0 0 31 2 *", ["Ledger:CheckpointInterval"] = "06:00:00" });
        _ = app.CreateClient();
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();

        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id);

        Assert.Equal("*/10 * * * * *", jobs["webhook-inbox"].Cron);
        Assert.Equal("0 */6 * * *", jobs["ledger-checkpoint"].Cron);
        Assert.Equal("0 0 31 2 *", jobs["reconciliation"].Cron);
        Assert.Null(jobs["reconciliation"].NextExecution);
        Assert.Equal(TimeSpan.FromSeconds(1), app.Services.GetRequiredService<BackgroundJobServerOptions>().SchedulePollingInterval);
    }

    [Fact]
    public void Switching_processing_off_removes_the_inbox_sweep_a_previous_start_registered()
    {
        var data = Directory.CreateTempSubdirectory("marketplace-schedule-");
        try
        {
            using (var processing = new AppWithSettings([], data))
            {
                _ = processing.CreateClient();
                Assert.Contains(RecurringJobIds(processing), id => id == "webhook-inbox");
            }

            using var switchedOff = new AppWithSettings(new() { ["Webhooks:ProcessingEnabled"] = "false" }, data);
            _ = switchedOff.CreateClient();

            Assert.DoesNotContain("webhook-inbox", RecurringJobIds(switchedOff));
            Assert.Contains("reconciliation", RecurringJobIds(switchedOff));
        }
        finally
        {
            MarketplaceApp.ReleaseDatabase(data);
            data.Delete(recursive: true);
        }
    }

    private static List<string> RecurringJobIds(MarketplaceApp app)
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().Select(j => j.Id).ToList();
    }

    private sealed class AppWithSettings : MarketplaceApp
    {
        private readonly Dictionary<string, string> _settings;

        public AppWithSettings(Dictionary<string, string> settings)
            => _settings = settings;

        public AppWithSettings(Dictionary<string, string> settings, DirectoryInfo dataDirectory)
            : base(dataDirectory, ownsDataDirectory: false) => _settings = settings;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in _settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
