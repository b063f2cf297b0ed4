using System.Net;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Auth;

/// <summary>
/// Keys and signatures are decoded in one place (SignatureInput), so registering, setting a recovery key, recovering
/// and paying refuse the same malformed text with the same code and the same words, before anything is looked up.
/// </summary>
public sealed class WhenAKeyOrSignatureDoesNotDecode(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    // 31 bytes, padded, and the standard (not URL) alphabet: each is refused, never decoded "nearly".
    public static TheoryData<string> BadKeys => new()
    {
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task Every_way_in_refuses_a_bad_public_key_alike(string badKey)
    {
        using var user = await ApiClient.RegisteredAsync(app);
        var signature = user.User.Sign("anything");
        using var anonymous = ApiClient.For(app);

        var answers = new[]
        {
            await anonymous.PostJsonAsync("/api/auth/register", new { Email = "new@example.test", DisplayName = "New", PublicKey = badKey, Challenge = "c", Signature = signature }),
            await anonymous.PostJsonAsync("/api/auth/challenge", new { Purpose = "recover", Email = user.User.Email, PublicKey = badKey }),
            await anonymous.PostJsonAsync("/api/auth/recover", new { Email = user.User.Email, PublicKey = badKey, Challenge = "c", Signature = signature }),
            await user.PostJsonAsync("/api/account/recovery-key", new { PublicKey = badKey, Challenge = "c", Signature = signature, RecoverySignature = signature }),
            await user.TransactAsync(Intents.Spend(Intents.IconPack, "12.50"), publicKey: badKey),
        };

        var details = new List<string>();
        foreach (var answer in answers)
        {
            using (answer)
            {
                var problem = await answer.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_public_key");
                Assert.Equal("public_key", problem.GetProperty("field").GetString());
                details.Add(problem.GetProperty("detail").GetString()!);
            }
        }

        Assert.Single(details.Distinct(StringComparer.Ordinal));
        Assert.Equal("1000.00", await user.AvailableAsync());
    }

    [Fact]
    public async Task Every_way_in_refuses_a_bad_signature_alike_naming_the_field_it_came_in()
    {
        using var user = await ApiClient.RegisteredAsync(app);
        var signature = user.User.Sign("anything");
        const string Short = "AAAA";
        using var anonymous = ApiClient.For(app);

        using var register = await anonymous.PostJsonAsync("/api/auth/register", new { Email = "new@example.test", DisplayName = "New", PublicKey = user.User.PublicKey, Challenge = "c", Signature = Short });
        using var login = await anonymous.PostJsonAsync("/api/auth/login", new { Email = user.User.Email, Challenge = "c", Signature = Short });
        using var recoveryKey = await user.PostJsonAsync("/api/account/recovery-key", new { PublicKey = user.User.PublicKey, Challenge = "c", Signature = signature, RecoverySignature = Short });
        using var transact = await user.PostJsonAsync("/api/wallet/transact", new { Intent = Intents.Spend(Intents.IconPack, "12.50"), PublicKey = user.User.PublicKey, Signature = Short });

        var details = new List<string>();
        foreach (var answer in new[] { register, login, transact })
        {
            var problem = await answer.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_signature_encoding");
            Assert.Equal("signature", problem.GetProperty("field").GetString());
            details.Add(problem.GetProperty("detail").GetString()!);
        }

        var recovery = await recoveryKey.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_signature_encoding");
        Assert.Equal("recovery_signature", recovery.GetProperty("field").GetString());
        Assert.Equal("The recovery signature must be 64 bytes in base64url.", recovery.GetProperty("detail").GetString());
        Assert.Equal(["The signature must be 64 bytes in base64url."], details.Distinct(StringComparer.Ordinal));
        Assert.Equal("1000.00", await user.AvailableAsync());
    }
}
