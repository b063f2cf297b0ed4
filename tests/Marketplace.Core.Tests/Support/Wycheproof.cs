using System.Text.Json;

namespace Marketplace.Core.Tests.Support;

/// <summary>Reads a Project Wycheproof vector file copied beside the tests (TestData/wycheproof, Apache-2.0).</summary>
public static class Wycheproof
{
    /// <summary>
    /// Every test of every group, keyed by tcId. The files used here have only "valid" and "invalid" results; a newer
    /// copy that adds "acceptable" fails loudly, because then someone has to decide what our code should do with it.
    /// </summary>
    public static Dictionary<int, T> Load<T>(string relativePath, Func<JsonElement, JsonElement, bool, T> vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relativePath)));
        var root = document.RootElement;
        var vectors = new Dictionary<int, T>();
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var tcId = test.GetProperty("tcId").GetInt32();
                var valid = test.GetProperty("result").GetString() switch
                {
                    "valid" => true,
                    "invalid" => false,
                    var other => throw new InvalidDataException($"tcId {tcId}: unexpected result '{other}'"),
                };
                vectors.Add(tcId, vector(group, test, valid));
            }
        }

        if (root.GetProperty("numberOfTests").GetInt32() != vectors.Count)
            throw new InvalidDataException("numberOfTests does not match the vectors in the file");
        return vectors;
    }

    public static TheoryData<int> Ids<T>(IReadOnlyDictionary<int, T> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var data = new TheoryData<int>();
        foreach (var tcId in vectors.Keys.Order())
            data.Add(tcId);
        return data;
    }

    public static byte[] Hex(JsonElement element, string property) => Convert.FromHexString(element.GetProperty(property).GetString()!);
}
