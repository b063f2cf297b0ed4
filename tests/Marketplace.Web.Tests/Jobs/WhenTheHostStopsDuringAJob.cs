using Hangfire;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Web.Tests.Jobs;

public sealed class WhenTheHostStopsDuringAJob : IDisposable
{
    private static readonly Dictionary<string, string> ShutdownTimeout = new() { ["Hosting:ShutdownTimeout"] = "00:00:45" };

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-job-shutdown-");
    private readonly BlockingHandler _handler = new();

    [Fact]
    public async Task The_running_job_finishes_uncancelled_before_the_host_exits()
    {
        using var app = new AppWithBlockingHandler(_dataDirectory, _handler, ShutdownTimeout);
        _ = app.CreateClient();
        await app.AcceptAsync("evt_during_shutdown");
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());

        app.RequestDrain();
        await _handler.Started.Task.WaitAsync(Eventually.DefaultTimeout);
        var stop = app.Host.StopAsync();
        await stopping.Task.WaitAsync(Eventually.DefaultTimeout);

        Assert.False(stop.IsCompleted, "The host finished stopping while a job was still running.");
        _handler.Release.SetResult();
        await stop.WaitAsync(Eventually.DefaultTimeout);
        Assert.False(_handler.CancelledBeforeRelease, "The running job was cancelled instead of being waited for.");
        Assert.Equal(WebhookStatus.Done, await StatusAsync("evt_during_shutdown"));
    }

    [Fact]
    public void Hangfire_waits_as_long_as_the_host_does()
    {
        using var app = new AppWithBlockingHandler(_dataDirectory, _handler, ShutdownTimeout);

        var options = app.Services.GetRequiredService<BackgroundJobServerOptions>();

        Assert.Equal(TimeSpan.FromSeconds(45), options.StopTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), options.ShutdownTimeout);
    }

    // Straight from the file: the app's services are stopped.
    private async Task<WebhookStatus> StatusAsync(string eventId)
    {
        var options = new DbContextOptionsBuilder<MarketplaceDb>();
        DatabaseProvider.Configure(options, new DatabaseSettings(Marketplace.Tests.Support.TestProvider.Kind, MarketplaceApp.ConnectionString(_dataDirectory), _dataDirectory.FullName));
        await using var db = new MarketplaceDb(options.Options);
        return await db.WebhookInbox.Where(i => i.EventId == eventId).Select(i => i.Status).SingleAsync();
    }

    public void Dispose()
    {
        _handler.Release.TrySetResult();
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }
}
