using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Api;

/// <summary>
/// Talks to the JSON API like the browser does: keeps cookies, sends the CSRF token on every
/// POST, and fetches a fresh token after sign-in/out because the token is bound to the user.
/// </summary>
public sealed class ApiClient(HttpClient http) : IDisposable
{
    public const string CsrfHeader = "X-CSRF-Token";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private string? _csrfToken;
    private TestUser? _user;

    public HttpClient Http { get; } = http;

    /// <summary>The user this client last registered.</summary>
    public TestUser User => _user ?? throw new InvalidOperationException("This client has not registered anyone.");

    public static ApiClient For(MarketplaceApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new ApiClient(app.CreateBrowserClient());
    }

    /// <summary>A new client signed in as a freshly registered user.</summary>
    public static async Task<ApiClient> RegisteredAsync(MarketplaceApp app, string? email = null)
    {
        var client = For(app);
        using var response = await client.RegisterAsync(TestUser.New(email));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return client;
    }

    /// <summary>A new signed-in client whose user also followed the mailed verification link (needed to receive transfers).</summary>
    public static async Task<ApiClient> VerifiedAsync(MarketplaceApp app, string? email = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = await RegisteredAsync(app, email);
        await app.VerifyEmailAsync(client.User.Email);
        return client;
    }

    /// <summary>Registers and verifies a user from a throwaway client and returns it.</summary>
    public static async Task<TestUser> RegisterVerifiedUserAsync(MarketplaceApp app, string? email = null)
    {
        using var client = await VerifiedAsync(app, email);
        return client.User;
    }

    /// <summary>Registers a user from a throwaway client and returns it, so a test can sign in from a fresh one.</summary>
    public static async Task<TestUser> RegisterUserAsync(MarketplaceApp app, string? email = null)
    {
        using var client = await RegisteredAsync(app, email);
        return client.User;
    }

    public async Task<string> CsrfTokenAsync()
    {
        if (_csrfToken is null)
        {
            var body = await GetJsonAsync("/api/auth/csrf");
            _csrfToken = body.GetProperty("token").GetString();
        }

        return _csrfToken!;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>GET that must answer 200 with JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object? body) =>
        PostAsync(path, JsonSerializer.Serialize(body, Json), "application/json");

    /// <summary>POST any text with any content type, with the CSRF token unless <paramref name="withCsrf"/> is false.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string? body, string? contentType, bool withCsrf = true)
    {
        HttpContent? content = null;
        if (body is not null)
        {
            content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        return PostAsync(path, content, withCsrf);
    }

    /// <summary>POST this content as is (the request takes ownership of it).</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, HttpContent? content, bool withCsrf = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (withCsrf)
        {
            request.Headers.Add(CsrfHeader, await CsrfTokenAsync());
        }

        var response = await Http.SendAsync(request);
        if (response.IsSuccessStatusCode && path.StartsWith("/api/auth/", StringComparison.Ordinal) && path != "/api/auth/challenge")
        {
            _csrfToken = null;
        }

        return response;
    }

    public async Task<string> ChallengeAsync(string purpose, string? email)
    {
        using var response = await PostJsonAsync("/api/auth/challenge", new { Email = email, Purpose = purpose });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("challenge").GetString()!;
    }

    public async Task<HttpResponseMessage> RegisterAsync(TestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var challenge = await ChallengeAsync("register", user.Email);
        var response = await RegisterWithAsync(user, challenge, user.Sign(challenge));
        if (response.StatusCode == HttpStatusCode.Created)
        {
            _user = user;
        }

        return response;
    }

    public Task<HttpResponseMessage> RegisterWithAsync(TestUser user, string challenge, string signature, string? publicKey = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        return PostJsonAsync("/api/auth/register", new { user.Email, user.DisplayName, PublicKey = publicKey ?? user.PublicKey, Challenge = challenge, Signature = signature });
    }

    public async Task<HttpResponseMessage> LoginAsync(TestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var challenge = await ChallengeAsync("login", user.Email);
        return await LoginWithAsync(user.Email, challenge, user.Sign(challenge));
    }

    public Task<HttpResponseMessage> LoginWithAsync(string email, string challenge, string signature) =>
        PostJsonAsync("/api/auth/login", new { Email = email, Challenge = challenge, Signature = signature });

    /// <summary>A challenge that names <paramref name="publicKey"/> (purposes "recovery_key" and "recover").</summary>
    public async Task<string> NamedChallengeAsync(string purpose, string email, string publicKey)
    {
        using var response = await PostJsonAsync("/api/auth/challenge", new { Email = email, Purpose = purpose, PublicKey = publicKey });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("challenge").GetString()!;
    }

    /// <summary>What the recovery step does: registers the key of <paramref name="code"/>, signed by the user's key and by the recovery key.</summary>
    public async Task<HttpResponseMessage> SetRecoveryKeyAsync(string code, TestUser? signer = null)
    {
        var recovery = Marketplace.Core.Identity.RecoveryCode.DeriveKey(code) ?? throw new ArgumentException("Not a recovery code.", nameof(code));
        var publicKey = Marketplace.Core.Identity.StrictBase64Url.Encode(recovery.PublicKey);
        var challenge = await NamedChallengeAsync("recovery_key", User.Email, publicKey);
        return await PostJsonAsync("/api/account/recovery-key", new
        {
            PublicKey = publicKey,
            Challenge = challenge,
            Signature = (signer ?? User).Sign(challenge),
            RecoverySignature = TestUser.SignWith(recovery.PrivateKeySeed, challenge),
        });
    }

    /// <summary>What Recover account does on a new device: <paramref name="newDevice"/>'s key replaces the account's, signed with the key of <paramref name="code"/>.</summary>
    public async Task<HttpResponseMessage> RecoverAsync(TestUser newDevice, string code)
    {
        ArgumentNullException.ThrowIfNull(newDevice);
        var recovery = Marketplace.Core.Identity.RecoveryCode.DeriveKey(code) ?? throw new ArgumentException("Not a recovery code.", nameof(code));
        var challenge = await NamedChallengeAsync("recover", newDevice.Email, newDevice.PublicKey);
        var response = await PostJsonAsync("/api/auth/recover", new { newDevice.Email, newDevice.PublicKey, Challenge = challenge, Signature = TestUser.SignWith(recovery.PrivateKeySeed, challenge) });
        if (response.IsSuccessStatusCode)
        {
            _user = newDevice;
        }

        return response;
    }

    /// <summary>Available balance as the API's decimal string.</summary>
    public async Task<string> AvailableAsync() => (await GetJsonAsync("/api/wallet/balance")).GetProperty("available").GetString()!;

    public async Task<Guid> InitiateTopUpAsync(string amount = "25.00", string currency = "USD")
    {
        using var response = await PostJsonAsync("/api/payments/initiate", new { Amount = amount, Currency = currency, Gateway = "demo" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("payment_id").GetGuid();
    }

    public void Dispose() => Http.Dispose();
}

public static class ApiAssertions
{
    /// <summary>Asserts an RFC 9457 problem with this status and stable code, and returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }

    public static async Task<int> CountPaymentsAsync(this MarketplaceApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Payments.CountAsync();
    }

    public static async Task<int> CountUsersAsync(this MarketplaceApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Users.CountAsync();
    }
}
