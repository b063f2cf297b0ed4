using Marketplace.Core;

namespace Marketplace.Web.Hosting;

public static class SiteOriginExtensions
{
    /// <summary>
    /// This site's origin: <c>PUBLIC_BASE_URL</c>, or in Development without it the origin the request came to. The
    /// audience every signed intent must name, and the base of redirect URLs and mailed links.
    /// </summary>
    public static Uri SiteOrigin(this HttpRequest request, MarketplaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return new Uri(options.Origin(new Uri($"{request.Scheme}://{request.Host}")));
    }
}
