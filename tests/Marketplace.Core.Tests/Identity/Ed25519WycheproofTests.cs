using Marketplace.Core.Identity;
using Marketplace.Core.Tests.Support;

namespace Marketplace.Core.Tests.Identity;

/// <summary>
/// Project Wycheproof's Ed25519 verification vectors (Apache-2.0, see TestData/wycheproof/LICENSE):
/// they pin down the edge cases (non-canonical S, small-order points, truncated signatures)
/// where Ed25519 libraries have disagreed.
/// </summary>
public class Ed25519WycheproofTests
{
    private const int ExpectedVectorCount = 151;

    private static readonly Dictionary<int, WycheproofVector> Vectors = LoadVectors();

    public static TheoryData<int> VectorIds() => Wycheproof.Ids(Vectors);

    [Theory]
    [MemberData(nameof(VectorIds))]
    public void Verify_agrees_with_the_vector(int tcId)
    {
        var vector = Vectors[tcId];

        var verified = Ed25519.Verify(vector.PublicKey, vector.Message, vector.Signature);

        Assert.True(
            verified == vector.ExpectedValid,
            $"tcId {tcId} ({vector.Comment}): expected {(vector.ExpectedValid ? "valid" : "invalid")}, verifier said {verified}");
    }

    [Fact]
    public void All_vectors_in_the_file_are_loaded()
    {
        Assert.Equal(ExpectedVectorCount, Vectors.Count);
    }

    private static Dictionary<int, WycheproofVector> LoadVectors() =>
        Wycheproof.Load(Path.Combine("Identity", "TestData", "wycheproof", "ed25519_test.json"), (group, test, valid) => new WycheproofVector(
            Wycheproof.Hex(group.GetProperty("publicKey"), "pk"),
            Wycheproof.Hex(test, "msg"),
            Wycheproof.Hex(test, "sig"),
            valid,
            test.GetProperty("comment").GetString() ?? string.Empty));

    private sealed record WycheproofVector(byte[] PublicKey, byte[] Message, byte[] Signature, bool ExpectedValid, string Comment);
}
