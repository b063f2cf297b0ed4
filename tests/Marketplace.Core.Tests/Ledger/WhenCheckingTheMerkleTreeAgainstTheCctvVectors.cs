using System.Text;
using System.Text.Json;
using Marketplace.Core.Ledger;

namespace Marketplace.Core.Tests.Ledger;

/// <summary>
/// The C2SP CCTV Merkle vectors (BSD-2-Clause, see TestData/merkle/LICENSE): tree heads for 1 to 16 leaves, and
/// inclusion and consistency proofs to generate (valid) and to verify (valid and invalid). The verifier under test is
/// the one tools/Marketplace.Verify compiles too.
/// </summary>
public sealed class WhenCheckingTheMerkleTreeAgainstTheCctvVectors
{
    private static readonly JsonElement TreeHeads = Load("merkle_tree.json");

    public static TheoryData<string, int> InclusionVectors() => Cases("inclusion-valid.json", "inclusion-invalid.json");

    public static TheoryData<string, int> ConsistencyVectors() => Cases("consistency-valid.json", "consistency-invalid.json");

    [Fact]
    public void Every_tree_head_is_the_root_of_its_leaves_appended_in_order()
    {
        var range = MerkleRange.Empty();
        var leaves = new List<byte[]>();
        Assert.Equal(16, TreeHeads.GetArrayLength());
        foreach (var head in TreeHeads.EnumerateArray())
        {
            var leaf = Merkle.LeafHash(Encoding.UTF8.GetBytes(head.GetProperty("leaf_data").GetString()!));
            Assert.Equal(Bytes(head, "leaf_hash"), leaf);
            leaves.Add(leaf);
            range.Append(leaf);

            Assert.Equal(Bytes(head, "root_hash"), range.Root());
            Assert.Equal(Bytes(head, "root_hash"), MerkleProofs.Root(leaves.Count, InMemoryTree(leaves)));
        }
    }

    [Fact]
    public void The_empty_tree_has_the_root_the_consistency_vectors_use_for_size_0()
    {
        var fromEmpty = Load("consistency-valid.json").EnumerateArray().First(v => v.GetProperty("old_size").GetInt64() == 0);

        Assert.Equal(Bytes(fromEmpty, "old_root"), MerkleRange.Empty().Root());
        Assert.Equal(Bytes(fromEmpty, "old_root"), MerkleProofs.Root(0, InMemoryTree([])));
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void An_inclusion_vector_verifies_exactly_when_it_is_valid_and_valid_ones_are_generated_as_given(string file, int index)
    {
        var vector = Load(file)[index];
        var valid = file.EndsWith("-valid.json", StringComparison.Ordinal);
        var leafIndex = vector.GetProperty("leaf_index").GetInt64();
        var treeSize = vector.GetProperty("tree_size").GetInt64();
        var path = Path(vector, "inclusion_path");

        var verified = Merkle.VerifyInclusion(Bytes(vector, "leaf_hash"), leafIndex, treeSize, path, Bytes(vector, "root_hash"));

        Assert.True(verified == valid, $"{file}[{index}] ({Comment(vector)}): verifier said {verified}");
        if (valid)
        {
            Assert.Equal(path, MerkleProofs.InclusionPath(leafIndex, treeSize, InMemoryTree(Leaves(treeSize))));
        }
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void A_consistency_vector_verifies_exactly_when_it_is_valid_and_valid_ones_are_generated_as_given(string file, int index)
    {
        var vector = Load(file)[index];
        var valid = file.EndsWith("-valid.json", StringComparison.Ordinal);
        var oldSize = vector.GetProperty("old_size").GetInt64();
        var newSize = vector.GetProperty("new_size").GetInt64();
        var path = Path(vector, "consistency_path");

        var verified = Merkle.VerifyConsistency(oldSize, newSize, Bytes(vector, "old_root"), Bytes(vector, "new_root"), path);

        Assert.True(verified == valid, $"{file}[{index}] ({Comment(vector)}): verifier said {verified}");
        if (valid)
        {
            Assert.Equal(path, MerkleProofs.ConsistencyPath(oldSize, newSize, InMemoryTree(Leaves(newSize))));
        }
    }

    [Fact]
    public void Every_proof_among_trees_of_up_to_40_leaves_verifies_and_fails_once_any_hash_in_it_changes()
    {
        var leaves = Leaves(40);
        var read = InMemoryTree(leaves);
        for (long size = 1; size <= leaves.Count; size++)
        {
            var root = MerkleProofs.Root(size, read);
            for (long i = 0; i < size; i++)
            {
                var path = MerkleProofs.InclusionPath(i, size, read);
                Assert.True(Merkle.VerifyInclusion(leaves[(int)i], i, size, path, root), $"leaf {i} of {size}");
                Assert.All(Mutations(path), p => Assert.False(Merkle.VerifyInclusion(leaves[(int)i], i, size, p, root)));
            }

            for (long old = 0; old <= size; old++)
            {
                var oldRoot = MerkleProofs.Root(old, read);
                var path = MerkleProofs.ConsistencyPath(old, size, read);
                Assert.True(Merkle.VerifyConsistency(old, size, oldRoot, root, path), $"{old} → {size}");
                Assert.All(Mutations(path), p => Assert.False(Merkle.VerifyConsistency(old, size, oldRoot, root, p), $"{old} → {size} mutated"));
                if (old > 0 && old < size)
                {
                    Assert.False(Merkle.VerifyConsistency(old, size, Merkle.LeafHash("not in the tree"u8), root, path), $"{old} → {size} from another root");
                }
            }
        }
    }

    /// <summary>The leaves "a", "b", … as the vectors build their trees.</summary>
    private static List<byte[]> Leaves(long count) =>
        Enumerable.Range(0, (int)count).Select(i => Merkle.LeafHash(Encoding.UTF8.GetBytes(((char)('a' + (i % 26))).ToString() + (i >= 26 ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")))).ToList();

    /// <summary>Every complete subtree of these leaves, as the database stores them.</summary>
    internal static NodeReader InMemoryTree(IReadOnlyList<byte[]> leaves)
    {
        var nodes = new Dictionary<(int, long), byte[]>();
        var range = MerkleRange.Empty();
        foreach (var leaf in leaves)
        {
            foreach (var (level, position, hash) in range.Append(leaf))
            {
                nodes[(level, position)] = hash;
            }
        }

        return (level, position) => nodes[(level, position)];
    }

    /// <summary>The path with each hash in turn changed by one bit, and with its last hash dropped.</summary>
    private static IEnumerable<List<byte[]>> Mutations(List<byte[]> path)
    {
        for (var i = 0; i < path.Count; i++)
        {
            var copy = path.Select(h => h.ToArray()).ToList();
            copy[i][i % 32] ^= 1;
            yield return copy;
        }

        if (path.Count > 0)
        {
            yield return path.Take(path.Count - 1).ToList();
        }
    }

    private static TheoryData<string, int> Cases(params string[] files)
    {
        var data = new TheoryData<string, int>();
        foreach (var file in files)
        {
            for (var i = 0; i < Load(file).GetArrayLength(); i++)
            {
                data.Add(file, i);
            }
        }

        return data;
    }

    private static JsonElement Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Ledger", "TestData", "merkle", file))).RootElement;

    private static byte[] Bytes(JsonElement vector, string property) => Convert.FromBase64String(vector.GetProperty(property).GetString()!);

    private static List<byte[]> Path(JsonElement vector, string property) =>
        vector.GetProperty(property).EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();

    private static string Comment(JsonElement vector) => vector.TryGetProperty("comment", out var comment) ? comment.GetString()! : "valid";
}
