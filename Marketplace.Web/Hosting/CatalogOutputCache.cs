using System.Globalization;
using Marketplace.Core.Catalog;
using Microsoft.AspNetCore.OutputCaching;

namespace Marketplace.Web.Hosting;

/// <summary>
/// The catalog as visitors see it (the catalog page, product pages, the products API) is the same answer for everyone
/// with the same URL, so it is rendered once and served from memory until the catalog changes. Entries are keyed by
/// the catalog's version (<see cref="CatalogVersion"/>, moved by database triggers in every product write's own
/// transaction), read afresh on every request: a request that starts after a write commits never gets a page from
/// before it, on any instance. A page rendered while a write commits is stored under the version read before it, which
/// no later request asks for.
/// <para>
/// Only anonymous GET and HEAD requests are served or stored (a signed-in page carries the user's balance and tokens),
/// only 200 responses, and never one that sets a cookie. A price shown from the cache is a price that was current when
/// the version was read; a purchase is priced by the server and refuses a signed price that is no longer the product's
/// (422 <c>price_mismatch</c>).
/// </para>
/// </summary>
public static class CatalogOutputCache
{
    public const string PolicyName = "catalog";

    public static IServiceCollection AddCatalogOutputCache(this IServiceCollection services)
    {
        services.AddOutputCache(o =>
        {
            // Searches and versions make new keys; memory stays bounded, and expired then least used entries go first.
            o.SizeLimit = 32L * 1024 * 1024;
            o.MaximumBodySize = 1024 * 1024;
            o.AddPolicy(PolicyName, b => b
                .AddPolicy<CatalogVersionPolicy>()
                // Pages answer htmx with a partial and a browser with the whole page (HtmxPageFilter says Vary: HX-Request).
                .SetVaryByHeader("HX-Request")
                .Expire(TimeSpan.FromMinutes(1)));
        });
        return services;
    }

    /// <summary>Runs the output cache; after authentication, which decides whether a request is anonymous.</summary>
    public static IApplicationBuilder UseCatalogOutputCache(this IApplicationBuilder app) => app.UseOutputCache();
}

/// <summary>
/// Adds the catalog version to the cache key of a request the default rules would cache (anonymous GET or HEAD). Entries
/// of older versions are never asked for again; they leave at expiry, or sooner when the size limit needs room.
/// </summary>
internal sealed class CatalogVersionPolicy : IOutputCachePolicy
{
    public async ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        if (!context.AllowCacheLookup && !context.AllowCacheStorage)
        {
            return;
        }

        var version = await context.HttpContext.RequestServices.GetRequiredService<CatalogQueries>().VersionAsync(cancellationToken);
        context.CacheVaryByRules.VaryByValues["catalog"] = version.ToString(CultureInfo.InvariantCulture);
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
