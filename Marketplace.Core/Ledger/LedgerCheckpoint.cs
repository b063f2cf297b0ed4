using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Identity;
using Marketplace.Core.Orders;

namespace Marketplace.Core.Ledger;

/// <summary>
/// A signed tree head: the server's statement, under its receipt key, that the ledger's Merkle tree had
/// <see cref="TreeSize"/> leaves with root <see cref="RootHash"/> at <see cref="CreatedAt"/>. Append-only (the database
/// refuses updates and deletes); each names the one before it by id and by the SHA-256 of its text, so the checkpoints
/// form a chain of their own.
/// <para>
/// <see cref="Json"/> is written once, field by field in a fixed order, and signed as those exact UTF-8 bytes:
/// <c>{"format":"marketplace-ledger-checkpoint-v1","id":7,"tree_size":123,"root_hash":"…","timestamp":"…Z",
/// "previous_id":6,"previous_sha256":"…","reconciliation_run_id":4,"discrepancies":0}</c>. Hashes are base64url without
/// padding; the first checkpoint has no <c>previous_*</c> fields, and only a checkpoint signed after a reconciliation
/// run has the last two.
/// </para>
/// </summary>
public sealed class LedgerCheckpoint
{
    public const string Format = "marketplace-ledger-checkpoint-v1";

    private LedgerCheckpoint()
    {
    }

    /// <summary>1 for the first checkpoint, then the previous one's id plus one.</summary>
    public long Id { get; private set; }

    public long? PreviousId { get; private set; }

    public long TreeSize { get; private set; }

    /// <summary>Base64url of the tree's root over the first <see cref="TreeSize"/> transactions.</summary>
    public string RootHash { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    /// <summary>The reconciliation run that finished just before this checkpoint was signed, if that is why it was.</summary>
    public long? ReconciliationRunId { get; private set; }

    public int? Discrepancies { get; private set; }

    /// <summary>The checkpoint exactly as signed.</summary>
    public string Json { get; private set; } = string.Empty;

    public string Signature { get; private set; } = string.Empty;

    internal static LedgerCheckpoint Sign(LedgerCheckpoint? previous, long treeSize, byte[] root, DateTime now, ReconciliationRun? run, ReceiptSigner signer)
    {
        var checkpoint = new LedgerCheckpoint
        {
            Id = (previous?.Id ?? 0) + 1,
            PreviousId = previous?.Id,
            TreeSize = treeSize,
            RootHash = StrictBase64Url.Encode(root),
            CreatedAt = now,
            ReconciliationRunId = run?.Id,
            Discrepancies = run?.DiscrepancyCount,
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("id", checkpoint.Id);
            writer.WriteNumber("tree_size", treeSize);
            writer.WriteString("root_hash", checkpoint.RootHash);
            writer.WriteString("timestamp", Receipts.Timestamp(now));
            if (previous is not null)
            {
                writer.WriteNumber("previous_id", previous.Id);
                writer.WriteString("previous_sha256", StrictBase64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(previous.Json))));
            }

            if (run is not null)
            {
                writer.WriteNumber("reconciliation_run_id", run.Id);
                writer.WriteNumber("discrepancies", run.DiscrepancyCount);
            }

            writer.WriteEndObject();
        }

        checkpoint.Json = Encoding.UTF8.GetString(buffer.ToArray());
        checkpoint.Signature = signer.Sign(checkpoint.Json);
        return checkpoint;
    }
}
