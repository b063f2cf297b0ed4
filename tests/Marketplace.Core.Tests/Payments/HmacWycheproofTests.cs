using Marketplace.Core.Payments;
using Marketplace.Core.Tests.Support;

namespace Marketplace.Core.Tests.Payments;

/// <summary>
/// Project Wycheproof's HMAC-SHA256 vectors (Apache-2.0, see TestData/wycheproof/LICENSE) through the helper every
/// gateway's signature check shares. Full-length tags go through <see cref="Hmac.Verify"/>; the 128-bit groups
/// check the computed MAC's prefix, and show that <see cref="Hmac.Verify"/> never accepts a truncated tag.
/// </summary>
public class HmacWycheproofTests
{
    private const int ExpectedVectorCount = 174;

    private static readonly Dictionary<int, Vector> Vectors = LoadVectors();

    public static TheoryData<int> VectorIds() => Wycheproof.Ids(Vectors);

    [Theory]
    [MemberData(nameof(VectorIds))]
    public void The_helper_agrees_with_the_vector(int tcId)
    {
        var v = Vectors[tcId];

        bool verified;
        if (v.TagBits == 256)
        {
            verified = Hmac.Verify(v.Key, v.Message, v.Tag);
            Assert.Equal(verified, Hmac.VerifyHex(v.Key, v.Message, Convert.ToHexString(v.Tag)));
        }
        else
        {
            var full = Hmac.Sha256(v.Key, v.Message);
            verified = v.Tag.Length == v.TagBits / 8 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(full.AsSpan(0, v.TagBits / 8), v.Tag);
            Assert.False(Hmac.Verify(v.Key, v.Message, v.Tag), "a truncated tag must never verify");
        }

        Assert.True(verified == v.Valid, $"tcId {tcId} ({v.Comment}): expected {(v.Valid ? "valid" : "invalid")}, helper said {verified}");
    }

    [Fact]
    public void All_vectors_in_the_file_are_loaded() => Assert.Equal(ExpectedVectorCount, Vectors.Count);

    [Fact]
    public void Hex_tags_that_are_not_64_hex_digits_are_rejected()
    {
        var key = "whsec_test"u8.ToArray();
        var message = "1700000000.{}"u8.ToArray();
        var hex = Hmac.Sha256Hex(key, message);

        Assert.True(Hmac.VerifyHex(key, message, hex));
        Assert.True(Hmac.VerifyHex(key, message, hex.ToUpperInvariant()));
        Assert.False(Hmac.VerifyHex(key, message, hex[..^2]));
        Assert.False(Hmac.VerifyHex(key, message, hex[..^1] + "g"));
        Assert.False(Hmac.VerifyHex(key, message, null));
        Assert.False(Hmac.VerifyHex(key, message, string.Empty));
    }

    private sealed record Vector(byte[] Key, byte[] Message, byte[] Tag, int TagBits, bool Valid, string Comment);

    private static Dictionary<int, Vector> LoadVectors() =>
        Wycheproof.Load(Path.Combine("Payments", "TestData", "wycheproof", "hmac_sha256_test.json"), (group, test, valid) => new Vector(
            Wycheproof.Hex(test, "key"),
            Wycheproof.Hex(test, "msg"),
            Wycheproof.Hex(test, "tag"),
            group.GetProperty("tagSize").GetInt32(),
            valid,
            test.GetProperty("comment").GetString() ?? string.Empty));
}
