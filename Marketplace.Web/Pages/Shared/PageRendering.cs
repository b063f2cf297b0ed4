using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;

namespace Marketplace.Web.Pages;

/// <summary>
/// What the signed-in pages' markup used tag helpers for, done without them (issue 16, third pass: tag helpers were a
/// quarter of the wallet page's request time): fingerprinted asset URLs and the antiforgery token.
/// </summary>
public static class PageRendering
{
    private const string TokensKey = "page-antiforgery-tokens";

    /// <summary>
    /// The fingerprinted URL of a static asset (<c>js/app.js</c> → <c>/js/app.63oxzj8duf.js</c>), as
    /// <c>asp-append-version</c> resolves it: from the endpoint's <see cref="ResourceAssetCollection"/> that
    /// <c>MapRazorPages().WithStaticAssets()</c> attaches, a dictionary lookup. The plain path where there is none.
    /// </summary>
    public static string AssetUrl(this HttpContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        var assets = context.GetEndpoint()?.Metadata.GetMetadata<ResourceAssetCollection>();
        return string.Concat(context.Request.PathBase.Value, "/", assets is null ? path : assets[path]);
    }

    /// <summary>
    /// The request's antiforgery tokens, generated (and the cookie set) once however many forms and the csrf meta
    /// tag render them: every post form on a page carries the same token.
    /// </summary>
    public static AntiforgeryTokenSet PageTokens(this IAntiforgery antiforgery, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(antiforgery);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[TokensKey] is not AntiforgeryTokenSet tokens)
        {
            tokens = antiforgery.GetAndStoreTokens(context);
            context.Items[TokensKey] = tokens;
        }

        return tokens;
    }
}
