using System.Numerics;

namespace Marketplace.Core.Ledger;

/// <summary>The hash of the complete subtree at <paramref name="level"/> (2^level leaves) whose leftmost leaf is <c>position · 2^level</c>.</summary>
internal delegate byte[] NodeReader(int level, long position);

/// <summary>
/// RFC 9162 §2.1.3.1 and §2.1.4.1: inclusion and consistency proofs, written over complete subtrees only. Every
/// range the RFC's recursion visits starts at a multiple of the largest power of two not above its size, so its left
/// part is a stored node and only one right border per proof is folded from O(log n) stored nodes: a proof reads
/// O(log n) nodes whatever the size of the tree.
/// </summary>
internal static class MerkleProofs
{
    public static byte[] Root(long size, NodeReader read) =>
        size == 0 ? Merkle.EmptyRoot() : SubtreeHash(0, size, read);

    /// <summary>PATH(index, D[0:size]), leaf side first.</summary>
    public static List<byte[]> InclusionPath(long index, long size, NodeReader read)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        var path = new List<byte[]>();
        Path(index, 0, size, read, path);
        return path;
    }

    /// <summary>PROOF(from, D[0:to]); empty when the sizes are equal or the old tree is empty.</summary>
    public static List<byte[]> ConsistencyPath(long from, long to, NodeReader read)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);
        var path = new List<byte[]>();
        if (from > 0 && from < to)
        {
            SubProof(from, 0, to, true, read, path);
        }

        return path;
    }

    /// <summary>MTH(D[start:end]); <paramref name="start"/> is a multiple of the largest power of two not above the range's size.</summary>
    public static byte[] SubtreeHash(long start, long end, NodeReader read)
    {
        var size = end - start;
        if (BitOperations.IsPow2(size))
        {
            var level = BitOperations.Log2((ulong)size);
            return read(level, start >> level);
        }

        var k = LargestPowerOfTwoBelow(size);
        return Merkle.NodeHash(SubtreeHash(start, start + k, read), SubtreeHash(start + k, end, read));
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2): the RFC's split point k.</summary>
    public static long LargestPowerOfTwoBelow(long n) => 1L << BitOperations.Log2((ulong)(n - 1));

    private static void Path(long m, long start, long end, NodeReader read, List<byte[]> path)
    {
        var n = end - start;
        if (n == 1)
        {
            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(m, start, start + k, read, path);
            path.Add(SubtreeHash(start + k, end, read));
        }
        else
        {
            Path(m - k, start + k, end, read, path);
            path.Add(SubtreeHash(start, start + k, read));
        }
    }

    private static void SubProof(long m, long start, long end, bool wholeOldTree, NodeReader read, List<byte[]> path)
    {
        var n = end - start;
        if (m == n)
        {
            if (!wholeOldTree)
            {
                path.Add(SubtreeHash(start, end, read));
            }

            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, wholeOldTree, read, path);
            path.Add(SubtreeHash(start + k, end, read));
        }
        else
        {
            SubProof(m - k, start + k, end, false, read, path);
            path.Add(SubtreeHash(start, start + k, read));
        }
    }
}

/// <summary>
/// The right border of a tree of <see cref="Size"/> leaves: one complete subtree per set bit of the size, largest
/// first. That is all appending needs: each new leaf merges with the equal-sized subtrees before it, and the root is
/// the fold of the border from the right.
/// </summary>
public sealed class MerkleRange
{
    private readonly List<(int Level, byte[] Hash)> _border;

    private MerkleRange(long size, List<(int Level, byte[] Hash)> border)
    {
        Size = size;
        _border = border;
    }

    public long Size { get; private set; }

    public static MerkleRange Empty() => new(0, []);

    /// <summary>Where the border nodes of a tree of <paramref name="size"/> leaves are stored, largest first.</summary>
    public static IReadOnlyList<(int Level, long Position)> BorderOf(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var border = new List<(int, long)>();
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            if ((size & (1L << level)) != 0)
            {
                border.Add((level, start >> level));
                start += 1L << level;
            }
        }

        return border;
    }

    /// <summary>A range from its border nodes as <see cref="BorderOf"/> lists them.</summary>
    public static MerkleRange FromBorder(long size, IReadOnlyList<byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var positions = BorderOf(size);
        if (positions.Count != hashes.Count)
        {
            throw new ArgumentException($"A tree of {size} leaves has {positions.Count} border nodes, not {hashes.Count}.", nameof(hashes));
        }

        return new MerkleRange(size, positions.Select((p, i) => (p.Level, hashes[i])).ToList());
    }

    /// <summary>Appends one leaf hash; returns every node it completes, the leaf itself first, as (level, position, hash).</summary>
    public IReadOnlyList<(int Level, long Position, byte[] Hash)> Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != Merkle.HashSize)
        {
            throw new ArgumentException("A leaf hash is 32 bytes.", nameof(leafHash));
        }

        var created = new List<(int, long, byte[])> { (0, Size, leafHash) };
        var level = 0;
        var position = Size;
        var hash = leafHash;
        while (_border.Count > 0 && _border[^1].Level == level)
        {
            hash = Merkle.NodeHash(_border[^1].Hash, hash);
            _border.RemoveAt(_border.Count - 1);
            level++;
            position >>= 1;
            created.Add((level, position, hash));
        }

        _border.Add((level, hash));
        Size++;
        return created;
    }

    public byte[] Root()
    {
        if (_border.Count == 0)
        {
            return Merkle.EmptyRoot();
        }

        var root = _border[^1].Hash;
        for (var i = _border.Count - 2; i >= 0; i--)
        {
            root = Merkle.NodeHash(_border[i].Hash, root);
        }

        return root;
    }
}
