using System.Net;
using Marketplace.Core.Settings;
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
    public static WebApplicationBuilder AddMarketplaceProxies(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSettings<ProxyOptions>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<ProxyOptions>((o, trusted) =>
        {
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Proxies)
            {
                o.KnownProxies.Add(proxy);
            }

            foreach (var network in trusted.Networks)
            {
                o.KnownIPNetworks.Add(network);
            }

            // With no known proxy the middleware would believe anyone; with none configured it must do nothing at all.
            o.ForwardedHeaders = trusted.Any ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            // A chain of trusted proxies is unwound until the first address that is not one of them.
            o.ForwardLimit = null;
        });
        return builder;
    }

    public static WebApplication UseMarketplaceProxies(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<ProxyOptions>().Any)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}

/// <summary>The proxies whose forwarded headers are believed (<c>FORWARDED_PROXIES</c>).</summary>
public sealed class ProxyOptions : ISettings<ProxyOptions>
{
    private static readonly char[] Separators = [',', ';', ' '];

    public static string Section => string.Empty;

    /// <summary>As configured: <c>10.0.0.5, 172.16.0.0/12</c>.</summary>
    [ConfigurationKeyName("FORWARDED_PROXIES")]
    public string? ForwardedProxies { get; init; }

    public IReadOnlyList<IPAddress> Proxies => Parse().Proxies;

    public IReadOnlyList<IPNetwork> Networks => Parse().Networks;

    public bool Any => Proxies.Count + Networks.Count > 0;

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (Parse().Unreadable is { } item)
        {
            check.Invalid(check.Key(nameof(ForwardedProxies)), $"IP addresses or CIDR ranges such as 10.0.0.5 or 172.16.0.0/12 (\"{item}\" is neither)");
        }
    }

    private (List<IPAddress> Proxies, List<IPNetwork> Networks, string? Unreadable) Parse()
    {
        var proxies = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var item in (ForwardedProxies ?? string.Empty).Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
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
                return (proxies, networks, item);
            }
        }

        return (proxies, networks, null);
    }
}
