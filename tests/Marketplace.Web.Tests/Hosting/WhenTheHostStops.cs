using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Web.Tests.Hosting;

public sealed class WhenTheHostStops : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly KestrelApp _app = new();

    [Fact]
    public async Task A_request_in_flight_finishes_before_the_host_exits()
    {
        _app.StartServer();
        using var client = _app.CreateClient();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());

        var response = client.GetAsync(new Uri(KestrelApp.SlowPath, UriKind.Relative));
        await _app.SlowRequestStarted.Task.WaitAsync(Patience);
        var stop = _app.Host.StopAsync();
        await stopping.Task.WaitAsync(Patience);

        Assert.False(stop.IsCompleted, "The host finished stopping while a request was still running.");
        _app.ReleaseSlowRequest.SetResult();
        using var answered = await response.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("finished", await answered.Content.ReadAsStringAsync());
        await stop.WaitAsync(Patience);
    }

    [Fact]
    public void The_shutdown_timeout_leaves_time_for_requests_and_jobs()
    {
        var options = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownTimeout);
    }

    public void Dispose()
    {
        _app.ReleaseSlowRequest.TrySetResult();
        _app.Dispose();
    }
}
