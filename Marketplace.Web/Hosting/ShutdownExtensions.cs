using Marketplace.Core;

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
        var timeout = ConfigurationValues.PositiveTimeSpan(builder.Configuration, "Hosting:ShutdownTimeout", TimeSpan.FromSeconds(30));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = timeout);
        return builder;
    }
}
