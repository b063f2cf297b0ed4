using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Auth;
using Marketplace.Web.Tests.Orders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Account;

public sealed class WhenRecoveringAnAccount(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_recovery_code_replaces_the_key_signs_every_session_out_audits_and_mails_a_notice()
    {
        using var old = await ApiClient.RegisteredAsync(app);
        var code = RecoveryCode.Generate();
        using (var set = await old.SetRecoveryKeyAsync(code))
        {
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        }

        await old.BuyAsync(Intents.IconPack, "12.50");
        using var newDevice = ApiClient.For(app);
        var replacement = TestUser.New(old.User.Email);

        using var recovered = await newDevice.RecoverAsync(replacement, code.ToLowerInvariant().Replace('-', ' '));

        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(old.User.Email, (await recovered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
        Assert.Equal("987.50", await newDevice.AvailableAsync());
        await (await old.GetAsync("/api/wallet/balance")).AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
        using var oldKey = ApiClient.For(app);
        await (await oldKey.LoginAsync(old.User)).AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_signature");
        using var newKey = ApiClient.For(app);
        Assert.Equal(HttpStatusCode.OK, (await newKey.LoginAsync(replacement)).StatusCode);
        var userId = await app.UserIdAsync(old.User.Email);
        using (var scope = app.Services.CreateScope())
        {
            var audit = await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().AuditEntries.SingleAsync(e => e.Subject == $"user:{userId}");
            Assert.Equal(AccountRecovery.AuditAction, audit.Action);
            Assert.Contains(replacement.PublicKey, audit.Details, StringComparison.Ordinal);
        }

        Assert.Equal("Your Marketplace account was recovered on a new device", app.LatestMailTo(old.User.Email).Subject);
    }

    [Fact]
    public async Task The_used_code_is_spent_and_a_wrong_code_changes_nothing()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        var code = RecoveryCode.Generate();
        (await owner.SetRecoveryKeyAsync(code)).Dispose();
        using var attacker = ApiClient.For(app);

        using var wrong = await attacker.RecoverAsync(TestUser.New(owner.User.Email), RecoveryCode.Generate());
        Assert.Equal("1000.00", await owner.AvailableAsync());
        using var recovered = await ApiClient.For(app).RecoverAsync(TestUser.New(owner.User.Email), code);
        using var again = await ApiClient.For(app).RecoverAsync(TestUser.New(owner.User.Email), code);

        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_signature");
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        await again.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_signature");
    }

    [Fact]
    public async Task An_account_without_a_recovery_key_cannot_be_recovered_and_looks_like_a_wrong_code()
    {
        using var owner = await ApiClient.RegisteredAsync(app);

        using var response = await ApiClient.For(app).RecoverAsync(TestUser.New(owner.User.Email), RecoveryCode.Generate());
        using var unknown = await ApiClient.For(app).RecoverAsync(TestUser.New(), RecoveryCode.Generate());

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_signature");
        await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_signature");
        Assert.Equal("1000.00", await owner.AvailableAsync());
    }

    [Fact]
    public async Task A_copied_cookie_alone_cannot_set_a_recovery_key()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        var thief = TestUser.New(owner.User.Email);

        using var response = await owner.SetRecoveryKeyAsync(RecoveryCode.Generate(), signer: thief);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_signature");
        using var scope = app.Services.CreateScope();
        Assert.Null((await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Users.SingleAsync(u => u.Email == owner.User.Email)).RecoveryPublicKey);
    }

    [Fact]
    public async Task A_recovery_signed_over_a_challenge_naming_another_key_is_refused()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        var code = RecoveryCode.Generate();
        (await owner.SetRecoveryKeyAsync(code)).Dispose();
        using var client = ApiClient.For(app);
        var intended = TestUser.New(owner.User.Email);
        var substitute = TestUser.New(owner.User.Email);
        var challenge = await client.NamedChallengeAsync("recover", owner.User.Email, intended.PublicKey);
        var signature = TestUser.SignWith(RecoveryCode.DeriveKey(code)!.PrivateKeySeed, challenge);

        using var response = await client.PostJsonAsync("/api/auth/recover", new { owner.User.Email, substitute.PublicKey, Challenge = challenge, Signature = signature });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "challenge_rejected");
        Assert.Equal("1000.00", await owner.AvailableAsync());
    }
}

public sealed class AppWithTightRecoverLimit : MarketplaceApp
{
    public const int PerHour = 2;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:RecoverPerHour", PerHour.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class WhenRecoveryCodesAreGuessed(AppWithTightRecoverLimit app) : IClassFixture<AppWithTightRecoverLimit>
{
    [Fact]
    public async Task Attempts_past_the_limit_answer_429_even_with_the_right_code()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        var code = RecoveryCode.Generate();
        (await owner.SetRecoveryKeyAsync(code)).Dispose();
        for (var i = 0; i < AppWithTightRecoverLimit.PerHour; i++)
        {
            using var guess = await ApiClient.For(app).RecoverAsync(TestUser.New(owner.User.Email), RecoveryCode.Generate());
            await guess.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_signature");
        }

        using var limited = await ApiClient.For(app).RecoverAsync(TestUser.New(owner.User.Email), code);

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal("1000.00", await owner.AvailableAsync());
    }
}
