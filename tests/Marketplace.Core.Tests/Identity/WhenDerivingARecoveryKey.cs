using System.Text;
using Marketplace.Core.Identity;

namespace Marketplace.Core.Tests.Identity;

/// <summary>
/// The recovery key derivation against vectors computed independently with Node's crypto (v20):
/// <c>hkdfSync("sha256", ascii(code), "marketplace.recovery.v1", "ed25519-seed", 32)</c> for the seed,
/// <c>createPrivateKey</c> from the PKCS#8 prefix + seed for the public key, and <c>sign(null, …)</c> over
/// "recover-v1.challenge" for the signature. recovery.js must agree with them too (the browser test checks it).
/// </summary>
public sealed class WhenDerivingARecoveryKey
{
    public static readonly TheoryData<string, string, string, string> NodeVectors = new()
    {
        { "0000-0000-0000-0000-0000-0000-0000", "f70ac32de790cbc6ad0619bde5bcc092c7c8f520b99147e67fb4de2bcaf223aa", "QXdL11cbtkKWNH2ude90sL0h7iPE9bIJETeMBfNKxEU", "1YMi6DSA2MHRCUPYfNLDI0Iok21sw28YAghHA9mpbQsWiEsp5R8c7GkWSMUxdhfK6VNWTKSI2nXmFKINHzoKBw" },
        { "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ", "f3ef17b3810685543ccb27ce35ae974b697667dab8e2b019d45b8c8b94279a8e", "iSvgrF2lcJI-dAMK9E3KOBucbWHTyWusugmfJtybFOo", "oaKCsdh04ng28-ppJpEqwrH_HX4cjF_ZYnDurMmHP_vUwSmzN9K5bIBkxe7QQyWggTIMoz6WkRRbgDkWEUk8Aw" },
        { "7KQ4-9XPD-M2RB-VH8S-JT3N-W5CA-6EYF", "04f47fcf87b80919be7014e8208b2a8fdd07a4da670f8f5d875e32538eee1cd1", "2Vq9r7hT0T3jbuRRs-4_tHC3V22EQjzptzNGflRyVTA", "iv_GPTgXGrcqcD-HkmrffB3Nb0-oJd9wVvJ_NC28zCeKPIkqPd53nGbErH-hnxBdNzLM6QEnWsFQUEi7ozegAw" },
    };

    [Theory]
    [MemberData(nameof(NodeVectors))]
    public void The_seed_public_key_and_signature_match_nodes(string code, string seedHex, string publicKey, string signature)
    {
        var key = RecoveryCode.DeriveKey(code);

        Assert.NotNull(key);
        Assert.Equal(seedHex, Convert.ToHexStringLower(key.PrivateKeySeed));
        Assert.Equal(publicKey, StrictBase64Url.Encode(key.PublicKey));
        Assert.Equal(signature, StrictBase64Url.Encode(Ed25519.Sign(key.PrivateKeySeed, Encoding.UTF8.GetBytes("recover-v1.challenge"))));
    }

    [Theory]
    [InlineData("7kq4 9xpd m2rb vh8s jt3n w5ca 6eyf")]
    [InlineData(" 7KQ49XPDM2RBVH8SJT3NW5CA6EYF ")]
    [InlineData("7KQ4-9XPD-M2RB-VH8S-JT3N-W5CA-6EYF\n")]
    public void Case_spaces_and_hyphens_do_not_matter(string typed)
    {
        Assert.Equal("2Vq9r7hT0T3jbuRRs-4_tHC3V22EQjzptzNGflRyVTA", StrictBase64Url.Encode(RecoveryCode.DeriveKey(typed)!.PublicKey));
    }

    [Fact]
    public void O_reads_as_zero_and_I_and_L_as_one()
    {
        Assert.Equal(RecoveryCode.Normalize("1111-0000-1111-0000-1111-0000-1111"), RecoveryCode.Normalize("iLIl-oOoO-LLLL-0o0O-IIII-OOOO-1lI1"));
        Assert.Equal(
            StrictBase64Url.Encode(RecoveryCode.DeriveKey("0000-0000-0000-0000-0000-0000-0000")!.PublicKey),
            StrictBase64Url.Encode(RecoveryCode.DeriveKey("OOOO-oooo-0000-0000-0000-0000-0000")!.PublicKey));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7KQ4-9XPD-M2RB-VH8S-JT3N-W5CA-6EY")]
    [InlineData("7KQ4-9XPD-M2RB-VH8S-JT3N-W5CA-6EYFF")]
    [InlineData("7KQ4-9XPD-M2RB-VH8S-JT3N-W5CA-6EYU")]
    [InlineData("7KQ4-9XPD-M2RB-VH8S-JT3N-W5CA-6EY!")]
    public void Anything_else_is_not_a_code(string text)
    {
        Assert.Null(RecoveryCode.Normalize(text));
        Assert.Null(RecoveryCode.DeriveKey(text));
    }

    [Fact]
    public void A_generated_code_is_seven_groups_of_four_and_different_each_time()
    {
        var codes = Enumerable.Range(0, 50).Select(_ => RecoveryCode.Generate()).ToList();

        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$", c));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Equal(c, RecoveryCode.Group(RecoveryCode.Normalize(c)!)));
    }
}
