using Marketplace.Core.Settings;

namespace Marketplace.Web.Hosting;

public static class ShutdownExtensions
{
    /// <summary>
    /// On SIGTERM (docker stop) Kestrel stops accepting connections and waits for in-flight requests,
    /// and Hangfire waits for the running job (see JobsExtensions), both within this timeout
    /// (<c>Hosting__ShutdownTimeout</c>, default 30 s; keep docker's --stop-timeout above it).
    /// </summary>
    public static WebApplicationBuilder AddMarketplaceGracefulShutdown(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSettings<HostingOptions>();
        builder.Services.AddOptions<HostOptions>().Configure<HostingOptions>((o, hosting) => o.ShutdownTimeout = hosting.ShutdownTimeout);
        return builder;
    }
}
