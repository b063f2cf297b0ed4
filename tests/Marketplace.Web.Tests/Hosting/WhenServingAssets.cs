using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>
/// Scripts and styles come from MapStaticAssets (issue 16): pages link them by fingerprinted URL, served precompressed
/// and cached as immutable, so a second page view downloads none of them again; the wallet page's JS stays small.
/// </summary>
public sealed partial class WhenServingAssets(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private const long WalletScriptBudgetBytes = 20 * 1024;

    [Theory]
    [InlineData("/")]
    [InlineData("/Wallet")]
    [InlineData("/Wallet/Transfer")]
    public async Task Pages_link_fingerprinted_assets_served_as_immutable_and_precompressed(string page)
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var assets = AssetUrls(await shopper.GetHtmlAsync(page));

        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            Assert.Matches(Fingerprinted(), asset);
            using var response = await GetGzippedAsync(shopper.Client, asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset} answered {(int)response.StatusCode}");
            Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        }
    }

    [Fact]
    public async Task The_wallet_page_needs_at_most_three_scripts_and_20_KB_of_gzipped_JS_htmx_included()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var scripts = AssetUrls(await shopper.GetHtmlAsync("/Wallet")).Where(a => a.EndsWith(".js", StringComparison.Ordinal)).ToList();

        long total = 0;
        foreach (var script in scripts)
        {
            using var response = await GetGzippedAsync(shopper.Client, script);
            total += (await response.Content.ReadAsByteArrayAsync()).LongLength;
        }

        Assert.InRange(scripts.Count, 1, 3);
        Assert.True(total <= WalletScriptBudgetBytes, $"{total:N0} bytes of gzipped JS in {string.Join(", ", scripts)}");
    }

    [Fact]
    public async Task A_page_without_scripted_forms_loads_only_the_shared_bundle()
    {
        using var client = app.CreateBrowserClient();

        var scripts = AssetUrls(await client.GetStringAsync(new Uri("/", UriKind.Relative))).Where(a => a.EndsWith(".js", StringComparison.Ordinal));

        Assert.Matches(@"^/js/app\.[a-z0-9]+\.js$", Assert.Single(scripts));
    }

    private static List<string> AssetUrls(string html) =>
        [.. AssetReference().Matches(html).Select(m => m.Groups["url"].Value)];

    private static Task<HttpResponseMessage> GetGzippedAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        return client.SendAsync(request);
    }

    [GeneratedRegex("<(?:script[^>]* src|link rel=\"stylesheet\" href)=\"(?<url>/[^\"]+)\"")]
    private static partial Regex AssetReference();

    // name.fingerprint.ext, the fingerprint being what MapStaticAssets derives from the content.
    [GeneratedRegex(@"^/(lib|js|css)/[a-z0-9.-]+\.[a-z0-9]{10}\.(js|css)$")]
    private static partial Regex Fingerprinted();
}
