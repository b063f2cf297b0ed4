using System.Security.Cryptography;

namespace Marketplace.Core.Ledger;

/// <summary>
/// RFC 9162 §2.1 (RFC 6962) Merkle tree hashing and proof verification: leaf = SHA-256(0x00 ‖ data), node =
/// SHA-256(0x01 ‖ left ‖ right), and the root of the empty tree is SHA-256 of nothing.
/// <para>
/// tools/Marketplace.Verify compiles this same file, so the offline verifier runs exactly the code the CCTV vectors
/// test; it must depend on nothing but the base library.
/// </para>
/// </summary>
internal static class Merkle
{
    public const int HashSize = 32;

    /// <summary>SHA-256 of no bytes: the root of a tree without leaves.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    public static byte[] LeafHash(ReadOnlySpan<byte> data)
    {
        var buffer = new byte[data.Length + 1];
        data.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + HashSize + HashSize];
        buffer[0] = 1;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>RFC 9162 §2.1.3.2: true when <paramref name="path"/> proves leaf <paramref name="leafIndex"/> of a tree of <paramref name="treeSize"/> leaves has this hash under <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long leafIndex, long treeSize, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (leafIndex < 0 || leafIndex >= treeSize || leafHash.Length != HashSize || root.Length != HashSize || !AllHashes(path))
        {
            return false;
        }

        var fn = leafIndex;
        var sn = treeSize - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary>
    /// RFC 9162 §2.1.4.2: true when <paramref name="path"/> proves the tree of <paramref name="newSize"/> leaves under
    /// <paramref name="newRoot"/> extends the one of <paramref name="oldSize"/> leaves under <paramref name="oldRoot"/>.
    /// Equal sizes need equal roots and no path; from size 0 only the empty tree's root and no path are accepted.
    /// </summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (oldSize < 0 || newSize < oldSize || oldRoot.Length != HashSize || newRoot.Length != HashSize || !AllHashes(path))
        {
            return false;
        }

        if (oldSize == 0)
        {
            return path.Count == 0 && CryptographicOperations.FixedTimeEquals(oldRoot, EmptyRoot()) && (newSize > 0 || CryptographicOperations.FixedTimeEquals(newRoot, oldRoot));
        }

        if (oldSize == newSize)
        {
            return path.Count == 0 && CryptographicOperations.FixedTimeEquals(oldRoot, newRoot);
        }

        if (path.Count == 0)
        {
            return false;
        }

        // A power-of-two old tree is a complete subtree of the new one; the proof leaves its root out.
        var proof = (oldSize & (oldSize - 1)) == 0 ? [oldRoot.ToArray(), .. path] : path;
        var fn = oldSize - 1;
        var sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = proof[0];
        var sr = proof[0];
        for (var i = 1; i < proof.Count; i++)
        {
            var c = proof[i];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(fr, oldRoot) && CryptographicOperations.FixedTimeEquals(sr, newRoot);
    }

    private static bool AllHashes(IReadOnlyList<byte[]> path)
    {
        foreach (var hash in path)
        {
            if (hash is not { Length: HashSize })
            {
                return false;
            }
        }

        return true;
    }
}
