using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Identity;

namespace Marketplace.E2E.Instances;

/// <summary>A shopper over the JSON API, as the browser talks to it: cookies, the CSRF header, intents signed with its own key.</summary>
public sealed class ShopClient(HttpClient http, string origin) : IDisposable
{
    /// <summary>Icon pack: Line, a digital product at 12.50 MC.</summary>
    public static readonly Guid IconPack = new("9d0d0c7a-0000-4000-8000-000000000001");

    private readonly Ed25519KeyPair _keys = Ed25519.Generate();
    private string? _csrf;

    public string Email { get; } = $"shopper-{Guid.NewGuid():N}@example.test";

    public HttpClient Http => http;

    public async Task RegisterAsync()
    {
        using var challenge = await PostAsync("/api/auth/challenge", new { email = Email, purpose = "register" });
        await EnsureAsync(challenge, HttpStatusCode.OK, "the register challenge");
        var text = (await challenge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge").GetString()!;
        using var registered = await PostAsync("/api/auth/register", new { email = Email, display_name = "Scale shopper", public_key = StrictBase64Url.Encode(_keys.PublicKey), challenge = text, signature = Sign(text) });
        await EnsureAsync(registered, HttpStatusCode.Created, "registering");
        // The antiforgery token is bound to the user: a new one after signing in.
        _csrf = null;
    }

    /// <summary>Signs a spend of <paramref name="amount"/> on <paramref name="productId"/> and posts it.</summary>
    public Task<HttpResponseMessage> BuyAsync(Guid productId, string amount)
    {
        var intent = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["action"] = "spend",
            ["amount"] = amount,
            ["currency"] = "MC",
            ["product_id"] = productId.ToString(),
            ["quantity"] = 1,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["nonce"] = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(16)),
            ["audience"] = origin,
        });
        return PostAsync("/api/wallet/transact", new { intent, public_key = StrictBase64Url.Encode(_keys.PublicKey), signature = Sign(intent) });
    }

    public async Task<string> AvailableAsync() => (await GetJsonAsync("/api/wallet/balance")).GetProperty("available").GetString()!;

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        await EnsureAsync(response, HttpStatusCode.OK, $"GET {path}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<HttpResponseMessage> PostAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-Token", await CsrfAsync());
        return await http.SendAsync(request);
    }

    public static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(response.StatusCode == expected, $"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => http.Dispose();

    private async Task<string> CsrfAsync()
    {
        if (_csrf is null)
        {
            using var response = await http.GetAsync(new Uri("/api/auth/csrf", UriKind.Relative));
            await EnsureAsync(response, HttpStatusCode.OK, "the CSRF token");
            _csrf = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        }

        return _csrf!;
    }

    private string Sign(string text) => StrictBase64Url.Encode(Ed25519.Sign(_keys.PrivateKeySeed, Encoding.UTF8.GetBytes(text)));
}
