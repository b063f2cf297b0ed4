using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Auth;

public sealed class WhenSigningIn(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task Registering_answers_201_and_the_session_cookie_reads_the_welcome_balance()
    {
        using var client = ApiClient.For(app);
        var user = TestUser.New();

        using var response = await client.RegisterAsync(user);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(user.Email, session.GetProperty("email").GetString());
        Assert.False(session.GetProperty("is_admin").GetBoolean());
        var balance = await client.GetJsonAsync("/api/wallet/balance");
        Assert.Equal("1000.00", balance.GetProperty("available").GetString());
        Assert.Equal("0.00", balance.GetProperty("held").GetString());
        Assert.Equal("MC", balance.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task Logging_in_with_a_login_challenge_answers_200_and_signs_in()
    {
        var user = await ApiClient.RegisterUserAsync(app);
        using var client = ApiClient.For(app);

        using var response = await client.LoginAsync(user);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task A_challenge_used_twice_is_rejected_the_second_time()
    {
        var user = await ApiClient.RegisterUserAsync(app);
        using var client = ApiClient.For(app);
        var challenge = await client.ChallengeAsync("login", user.Email);
        using (var first = await client.LoginWithAsync(user.Email, challenge, user.Sign(challenge)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await client.LoginWithAsync(user.Email, challenge, user.Sign(challenge));

        await second.AssertProblemAsync(HttpStatusCode.Unauthorized, "challenge_rejected");
    }

    [Fact]
    public async Task A_register_challenge_cannot_be_used_to_log_in()
    {
        var user = await ApiClient.RegisterUserAsync(app);
        using var client = ApiClient.For(app);
        var challenge = await client.ChallengeAsync("register", user.Email);

        using var response = await client.LoginWithAsync(user.Email, challenge, user.Sign(challenge));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "challenge_rejected");
        await AssertSignedOutAsync(client);
    }

    [Fact]
    public async Task A_login_challenge_cannot_be_used_to_register()
    {
        using var client = ApiClient.For(app);
        var user = TestUser.New();
        var challenge = await client.ChallengeAsync("login", user.Email);

        using var response = await client.RegisterWithAsync(user, challenge, user.Sign(challenge));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "challenge_rejected");
        await AssertSignedOutAsync(client);
    }

    [Fact]
    public async Task A_challenge_issued_for_one_email_cannot_register_another()
    {
        using var client = ApiClient.For(app);
        var user = TestUser.New();
        var challenge = await client.ChallengeAsync("register", $"someone-else-{Guid.NewGuid():N}@example.test");

        using var response = await client.RegisterWithAsync(user, challenge, user.Sign(challenge));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "challenge_rejected");
        await AssertSignedOutAsync(client);
    }

    [Fact]
    public async Task Logging_in_ignores_the_case_of_the_email()
    {
        var user = await ApiClient.RegisterUserAsync(app);
        using var client = ApiClient.For(app);

        using var response = await client.LoginAsync(user with { Email = user.Email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(user.Email, session.GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_login_signed_by_a_different_key_is_rejected()
    {
        var user = await ApiClient.RegisterUserAsync(app);
        using var client = ApiClient.For(app);
        var impostor = TestUser.New(user.Email);
        var challenge = await client.ChallengeAsync("login", user.Email);

        using var response = await client.LoginWithAsync(user.Email, challenge, impostor.Sign(challenge));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_signature");
        await AssertSignedOutAsync(client);
    }

    [Fact]
    public async Task A_registration_signed_by_a_key_other_than_the_one_sent_is_rejected()
    {
        using var client = ApiClient.For(app);
        var user = TestUser.New();
        var other = TestUser.New();
        var challenge = await client.ChallengeAsync("register", user.Email);
        var usersBefore = await app.CountUsersAsync();

        using var response = await client.RegisterWithAsync(user, challenge, other.Sign(challenge));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_signature");
        Assert.Equal(usersBefore, await app.CountUsersAsync());
    }

    [Theory]
    [InlineData("31 bytes")]
    [InlineData("standard base64 alphabet")]
    [InlineData("padding")]
    [InlineData("whitespace")]
    [InlineData("empty after trim")]
    public async Task A_malformed_public_key_is_rejected_before_anything_is_stored(string kind)
    {
        using var client = ApiClient.For(app);
        var user = TestUser.New();
        var publicKey = kind switch
        {
            "31 bytes" => Marketplace.Core.Identity.StrictBase64Url.Encode(user.Keys.PublicKey.AsSpan(0, 31)),
            "standard base64 alphabet" => Convert.ToBase64String(PublicKeyWithBase64Specials()).TrimEnd('='),
            "padding" => user.PublicKey + "=",
            "whitespace" => user.PublicKey[..20] + " " + user.PublicKey[20..],
            _ => "=",
        };
        var challenge = await client.ChallengeAsync("register", user.Email);
        var usersBefore = await app.CountUsersAsync();

        using var response = await client.RegisterWithAsync(user, challenge, user.Sign(challenge), publicKey);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_public_key");
        Assert.Equal("public_key", problem.GetProperty("field").GetString());
        Assert.Equal(usersBefore, await app.CountUsersAsync());
    }

    [Fact]
    public async Task Registering_an_email_that_is_taken_answers_409()
    {
        var user = await ApiClient.RegisterUserAsync(app);
        using var client = ApiClient.For(app);
        var again = TestUser.New(user.Email.ToUpperInvariant());

        using var response = await client.RegisterAsync(again);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "email_taken");
        await AssertSignedOutAsync(client);
    }

    [Fact]
    public async Task Logging_out_answers_204_and_ends_the_session()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.PostAsync("/api/auth/logout", null, null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await AssertSignedOutAsync(client);
    }

    [Fact]
    public async Task A_post_without_the_csrf_header_is_refused_and_changes_nothing()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentsBefore = await app.CountPaymentsAsync();

        using var response = await client.PostAsync("/api/payments/initiate", """{"amount":"25.00","currency":"USD","gateway":"demo"}""", "application/json", withCsrf: false);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_token_invalid");
        Assert.Equal(paymentsBefore, await app.CountPaymentsAsync());
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task A_logout_without_the_csrf_header_is_refused_and_the_session_stays()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.PostAsync("/api/auth/logout", null, null, withCsrf: false);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "csrf_token_invalid");
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    private static async Task AssertSignedOutAsync(ApiClient client)
    {
        using var balance = await client.GetAsync("/api/wallet/balance");
        await balance.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
    }

    // 0xFB 0xFF encodes as "+/" in standard base64, characters base64url never uses.
    private static byte[] PublicKeyWithBase64Specials() => [.. Enumerable.Repeat((byte)0xFB, 16), .. Enumerable.Repeat((byte)0xFF, 16)];
}
