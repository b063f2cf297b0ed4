using System.Globalization;
using System.Security.Cryptography;
using Marketplace.Core.Identity;

namespace Marketplace.Core.Ledger;

/// <summary>A signed checkpoint as reconciliation compares it: which, how many leaves, what root.</summary>
internal sealed record CheckpointHead(long Id, long TreeSize, string RootHash);

/// <summary>
/// Reconciliation's view of the Merkle tree: rebuilds it from the transactions as stored (fed in id order during the
/// chain walk), then compares the stored tree and every signed checkpoint with it. A checkpoint that no longer matches
/// means the history it signed was changed afterwards, however carefully the chain and the tree were rebuilt.
/// </summary>
internal sealed class LedgerTreeAudit
{
    private readonly MerkleRange _rebuilt = MerkleRange.Empty();
    private readonly List<CheckpointHead> _checkpoints;
    private readonly List<(CheckpointHead Checkpoint, string Found)> _mismatched = [];
    private int _next;

    public LedgerTreeAudit(IEnumerable<CheckpointHead> checkpoints)
    {
        _checkpoints = checkpoints.OrderBy(c => c.TreeSize).ThenBy(c => c.Id).ToList();
        CompareReached();
    }

    public void Add(string canonical)
    {
        _rebuilt.Append(LedgerTree.LeafHash(canonical));
        CompareReached();
    }

    /// <summary>The discrepancies, given the stored tree's size and (when it has exactly the ledger's leaves) its root.</summary>
    public IEnumerable<ReconciliationDiscrepancy> Finish(long storedSize, byte[]? storedRoot)
    {
        var leaves = _rebuilt.Size;
        var rebuiltRoot = StrictBase64Url.Encode(_rebuilt.Root());
        if (storedSize != leaves)
        {
            yield return ReconciliationDiscrepancy.Create(
                ReconciliationChecks.MerkleTree,
                $"{Number(leaves)} leaves",
                $"{Number(storedSize)} leaves",
                "The Merkle tree does not hold exactly the ledger's transactions.");
        }
        else if (storedRoot is null || !CryptographicOperations.FixedTimeEquals(storedRoot, _rebuilt.Root()))
        {
            yield return ReconciliationDiscrepancy.Create(
                ReconciliationChecks.MerkleTree,
                rebuiltRoot,
                storedRoot is null ? "(nodes missing)" : StrictBase64Url.Encode(storedRoot),
                "The stored Merkle tree does not match the transactions as stored: one of them, or the tree, was changed after posting.");
        }

        foreach (var beyond in _checkpoints.Skip(_next))
        {
            _mismatched.Add((beyond, $"only {Number(leaves)} transactions"));
        }

        if (_mismatched.Count > 0)
        {
            var (first, found) = _mismatched[0];
            var others = _mismatched.Count - 1;
            yield return ReconciliationDiscrepancy.Create(
                ReconciliationChecks.Checkpoint,
                $"root {first.RootHash} over {Number(first.TreeSize)} transactions",
                found,
                $"Signed checkpoint {Number(first.Id)} no longer matches the ledger as stored{(others > 0 ? $" (nor do {Number(others)} other checkpoints)" : "")}: "
                + "the history it signed was changed afterwards. Anyone holding that checkpoint will see the consistency proof fail.");
        }
    }

    private void CompareReached()
    {
        while (_next < _checkpoints.Count && _checkpoints[_next].TreeSize == _rebuilt.Size)
        {
            var checkpoint = _checkpoints[_next++];
            var root = StrictBase64Url.Encode(_rebuilt.Root());
            if (root != checkpoint.RootHash)
            {
                _mismatched.Add((checkpoint, $"root {root}"));
            }
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
