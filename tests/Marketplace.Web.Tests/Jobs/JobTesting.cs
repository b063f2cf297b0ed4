using Hangfire;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>Reads what Hangfire's storage holds about the inbox drains.</summary>
public static class JobTesting
{
    /// <summary>A schedule that never fires (31 February): only enqueued drains and the run at start remain.</summary>
    public const string Never = "0 0 31 2 *";

    /// <summary>Ids of the drains (<see cref="WebhookInboxJob"/>) that have succeeded, newest first.</summary>
    public static IReadOnlyList<string> SucceededDrains(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var monitoring = services.GetRequiredService<JobStorage>().GetMonitoringApi();
        return monitoring.SucceededJobs(0, 1000)
            .Where(j => j.Value.Job?.Type == typeof(WebhookInboxJob))
            .Select(j => j.Key)
            .ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> drains have succeeded.</summary>
    public static Task<IReadOnlyList<string>> SucceededDrainsAsync(IServiceProvider services, int count) =>
        Eventually.PollAsync(() => Task.FromResult(SucceededDrains(services)), d => d.Count >= count, $"{count} succeeded inbox drains");
}

/// <summary>
/// A webhook handler for a made-up gateway that blocks until the test releases it, counting how many run at once and
/// whether the job's cancellation token fired before the release.
/// </summary>
public sealed class BlockingHandler : IWebhookEventHandler
{
    public const string Name = "blocking";

    private int _running;
    private int _mostAtOnce;

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    public bool CancelledBeforeRelease { get; private set; }

    public string Gateway => Name;

    public async Task<WebhookHandling> HandleAsync(WebhookInboxItem item, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, now, seen) != seen)
        {
        }

        Started.TrySetResult();
        try
        {
            // Deliberately not cancelled by the token: the point is to see whether the token fires while the job runs.
            await Release.Task;
            CancelledBeforeRelease |= cancellationToken.IsCancellationRequested;
            return new WebhookHandling.Done();
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}

/// <summary>The app on a data directory the test owns, with <see cref="BlockingHandler"/>, no sweep, and its host reachable.</summary>
public sealed class AppWithBlockingHandler(DirectoryInfo dataDirectory, BlockingHandler handler, IReadOnlyDictionary<string, string>? settings = null)
    : MarketplaceApp(dataDirectory, ownsDataDirectory: false)
{
    private IHost? _host;

    public IHost Host => _host ?? throw new InvalidOperationException("Create a client first.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:SweepCron", JobTesting.Never);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(s => s.AddScoped<IWebhookEventHandler>(_ => handler));
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        _host = base.CreateHost(builder);
        return _host;
    }

    /// <summary>Stores an event for the blocking gateway without asking for a drain.</summary>
    public async Task AcceptAsync(string eventId)
    {
        using var scope = Services.CreateScope();
        Assert.Equal(AcceptResult.Accepted, await scope.ServiceProvider.GetRequiredService<WebhookInbox>().AcceptAsync(BlockingHandler.Name, eventId, "blocking.event", "{}"));
    }

    public void RequestDrain() => Services.GetRequiredService<WebhookInboxTrigger>().RequestRun();
}
