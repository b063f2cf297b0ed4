using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>
/// The app on real Kestrel at a free loopback port (limits and shutdown behaviour belong to the server, which
/// TestServer does not imitate), plus one test-only endpoint, <c>/test/slow</c>, that answers only when the
/// test releases it.
/// </summary>
public sealed class KestrelApp : MarketplaceApp
{
    public const string SlowPath = "/test/slow";

    private IHost? _host;

    public KestrelApp()
    {
        UseKestrel(0);
    }

    public TaskCompletionSource SlowRequestStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource ReleaseSlowRequest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IHost Host => _host ?? throw new InvalidOperationException("Start the server first.");

    /// <summary>Every line the app logged.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new SlowEndpoint(this)));
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        _host = base.CreateHost(builder);
        return _host;
    }

    private sealed class SlowEndpoint(KestrelApp owner) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map(SlowPath, slow => slow.Run(async context =>
            {
                owner.SlowRequestStarted.TrySetResult();
                // Deliberately not the request's token: the point is to see the request finish during shutdown.
                await owner.ReleaseSlowRequest.Task;
                await context.Response.WriteAsync("finished");
            }));
            next(app);
        };
    }
}
