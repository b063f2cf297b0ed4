using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Marketplace.Web.Hosting;

/// <summary>
/// X-Forwarded-For and -Proto are believed only from the proxies in <c>FORWARDED_PROXIES</c> (addresses or CIDR
/// ranges, separated by commas or spaces; none by default). Without it nobody is believed: every client could
/// otherwise name a new address per request and walk past the per-IP sign-in limit. The framework's
/// ASPNETCORE_FORWARDEDHEADERS_ENABLED, which trusts every sender, is overridden by the same settings.
/// </summary>
public static class ProxyExtensions
{
    public const string Setting = "FORWARDED_PROXIES";

    public static WebApplicationBuilder AddMarketplaceProxies(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var (proxies, networks) = Parse(builder.Configuration[Setting]);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }

            // With no known proxy the middleware would believe anyone; with none configured it must do nothing at all.
            o.ForwardedHeaders = proxies.Count + networks.Count > 0 ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            // A chain of trusted proxies is unwound until the first address that is not one of them.
            o.ForwardLimit = null;
        });
        return builder;
    }

    public static WebApplication UseMarketplaceProxies(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Parse(app.Configuration[Setting]) is { Proxies.Count: > 0 } or { Networks.Count: > 0 })
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    public static (List<IPAddress> Proxies, List<IPNetwork> Networks) Parse(string? text)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var item in (text ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                proxies.Add(address);
            }
            else
            {
                throw Core.ConfigurationValues.Invalid(Setting, $"IP addresses or CIDR ranges such as 10.0.0.5 or 172.16.0.0/12 (\"{item}\" is neither)");
            }
        }

        return (proxies, networks);
    }
}
