using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Core.Identity;

namespace Marketplace.Web.Tests.Account;

public sealed partial class WhenLoggingOutWithoutJavaScript(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_layout_form_posts_to_the_logout_page_which_signs_out_and_returns_to_the_catalog()
    {
        using var client = app.CreateBrowserClient();
        await RegisterAsync(client, $"logout-{Guid.NewGuid():N}@example.test");

        var catalog = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var form = LogoutForm().Match(catalog);
        Assert.True(form.Success, "the signed-in layout has no logout form posting to /Account/Logout");
        var token = TokenInput().Match(form.Value).Groups["token"].Value;
        Assert.NotEmpty(token);

        using var logout = await client.PostAsync(
            new Uri("/Account/Logout", UriKind.Relative),
            new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/", logout.Headers.Location?.OriginalString);
        using var balance = await client.GetAsync(new Uri("/api/wallet/balance", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, balance.StatusCode);
        var after = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("Log in", after, StringComparison.Ordinal);
        Assert.DoesNotContain(">Wallet</a>", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_signed_in_navigation_links_to_the_catalog_and_the_wallet()
    {
        using var client = app.CreateBrowserClient();
        await RegisterAsync(client, $"nav-{Guid.NewGuid():N}@example.test");

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("<a href=\"/\" aria-current=\"page\">Catalog</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/Wallet\">Wallet</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_logout_post_without_the_antiforgery_token_is_refused()
    {
        using var client = app.CreateBrowserClient();
        await RegisterAsync(client, $"csrf-{Guid.NewGuid():N}@example.test");

        using var logout = await client.PostAsync(new Uri("/Account/Logout", UriKind.Relative), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        using var balance = await client.GetAsync(new Uri("/api/wallet/balance", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, balance.StatusCode);
    }

    private static async Task RegisterAsync(HttpClient client, string email)
    {
        var key = Ed25519.Generate();
        var csrf = await CsrfAsync(client);
        using var challengeRequest = Post("/api/auth/challenge", new { purpose = "register", email }, csrf);
        using var challengeResponse = await client.SendAsync(challengeRequest);
        challengeResponse.EnsureSuccessStatusCode();
        using var challengeBody = JsonDocument.Parse(await challengeResponse.Content.ReadAsStringAsync());
        var challenge = challengeBody.RootElement.GetProperty("challenge").GetString()!;
        var signature = Ed25519.Sign(key.PrivateKeySeed, Encoding.UTF8.GetBytes(challenge));

        using var register = Post("/api/auth/register", new
        {
            email,
            display_name = "No Script",
            public_key = StrictBase64Url.Encode(key.PublicKey),
            challenge,
            signature = StrictBase64Url.Encode(signature),
        }, csrf);
        using var registered = await client.SendAsync(register);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    private static async Task<string> CsrfAsync(HttpClient client)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/auth/csrf", UriKind.Relative)));
        return body.RootElement.GetProperty("token").GetString()!;
    }

    private static HttpRequestMessage Post(string path, object body, string csrf)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-Token", csrf);
        return request;
    }

    [GeneratedRegex("<form[^>]*action=\"/Account/Logout\"[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex LogoutForm();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenInput();
}
