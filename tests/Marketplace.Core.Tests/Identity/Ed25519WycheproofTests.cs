using System.Text.Json;
using Marketplace.Core.Identity;

namespace Marketplace.Core.Tests.Identity;

/// <summary>
/// Project Wycheproof's Ed25519 verification vectors (Apache-2.0, see TestData/wycheproof/LICENSE):
/// they pin down the edge cases (non-canonical S, small-order points, truncated signatures)
/// where Ed25519 libraries have disagreed.
/// </summary>
public class Ed25519WycheproofTests
{
    private const int ExpectedVectorCount = 151;

    private static readonly IReadOnlyDictionary<int, WycheproofVector> Vectors = LoadVectors();

    public static TheoryData<int> VectorIds()
    {
        var data = new TheoryData<int>();
        foreach (var tcId in Vectors.Keys.Order())
            data.Add(tcId);
        return data;
    }

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

    private static Dictionary<int, WycheproofVector> LoadVectors()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Identity", "TestData", "wycheproof", "ed25519_test.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var vectors = new Dictionary<int, WycheproofVector>();

        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            var publicKey = Convert.FromHexString(group.GetProperty("publicKey").GetProperty("pk").GetString()!);
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var tcId = test.GetProperty("tcId").GetInt32();
                // This file has no "acceptable" results; fail loudly if a newer copy adds any,
                // because then someone has to decide what our verifier should do with them.
                var expectedValid = test.GetProperty("result").GetString() switch
                {
                    "valid" => true,
                    "invalid" => false,
                    var other => throw new InvalidDataException($"tcId {tcId}: unexpected result '{other}'"),
                };
                vectors.Add(tcId, new WycheproofVector(
                    publicKey,
                    Convert.FromHexString(test.GetProperty("msg").GetString()!),
                    Convert.FromHexString(test.GetProperty("sig").GetString()!),
                    expectedValid,
                    test.GetProperty("comment").GetString() ?? ""));
            }
        }

        if (root.GetProperty("numberOfTests").GetInt32() != vectors.Count)
            throw new InvalidDataException("numberOfTests does not match the vectors in the file");
        return vectors;
    }

    private sealed record WycheproofVector(byte[] PublicKey, byte[] Message, byte[] Signature, bool ExpectedValid, string Comment);
}
