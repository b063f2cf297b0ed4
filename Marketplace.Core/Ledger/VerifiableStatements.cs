using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Marketplace.Core.Identity;
using Marketplace.Core.Orders;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Ledger;

/// <summary>What building a verifiable statement gave.</summary>
public abstract record StatementResult
{
    private StatementResult()
    {
    }

    /// <summary>The statement file, UTF-8 JSON.</summary>
    public sealed record Built(byte[] Json) : StatementResult;

    public sealed record TooManyTransactions(int Max) : StatementResult;

    /// <summary>The saved checkpoint's size is larger than the checkpoint the statement is proved against.</summary>
    public sealed record SinceBeyondCheckpoint(long TreeSize) : StatementResult;

    /// <summary>No checkpoint could be signed (<see cref="CheckpointResult.Refused"/>).</summary>
    public sealed record Unavailable(string Reason) : StatementResult;
}

/// <summary>
/// A statement anyone can check offline (tools/Marketplace.Verify): the user's transactions over a range of UTC days,
/// each with its canonical bytes, its entries and its inclusion proof against the latest checkpoint; the receipts the
/// server signed for them; the checkpoint and the public key; optionally a consistency proof from a checkpoint the
/// user saved earlier. The server signs a summary (user, range, accounts with opening and closing balances, the
/// transaction and receipt ids, the checkpoint), so nothing in the file is unbound: the rest follows from hashes,
/// proofs and signatures.
/// <para>
/// File: <c>{ format, public_key, statement (the signed summary, a JSON string), statement_signature, checkpoint:
/// { checkpoint, signature }, transactions: [{ transaction_id, leaf_index, canonical, entries: [{ account_id, amount,
/// balance_after? }], inclusion_path }], receipts: [{ order_id, transaction_id, receipt, signature }],
/// consistency_proofs: [{ from, to, consistency_path }] }</c>. Amounts are decimal strings; <c>balance_after</c> is
/// given for the user's own accounts only, so the statement tells nothing about anyone else's balance.
/// </para>
/// </summary>
public sealed class VerifiableStatements(MarketplaceDb db, LedgerCheckpoints checkpoints, ReceiptSigner signer, TimeProvider clock)
{
    public const string FileFormat = "marketplace-verifiable-statement-v1";
    public const string StatementFormat = "marketplace-statement-v1";

    /// <summary>The most transactions one statement carries, so a download stays bounded.</summary>
    public const int MaxTransactions = 5_000;

    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<StatementResult> BuildAsync(Guid userId, DateOnly from, DateOnly to, long? since, CancellationToken cancellationToken = default)
    {
        if (to < from || to.DayNumber - from.DayNumber + 1 > StatementQueries.MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(to), "A statement covers 1 to 366 days, from before to.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(since ?? 0, nameof(since));
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.OwnerId == userId).OrderBy(a => a.Kind).Select(a => new { a.Id, a.Kind }).ToListAsync(cancellationToken);
        var accountIds = accounts.Select(a => a.Id).ToList();
        // From the user's entries (indexed by account) to their transactions, rather than through every transaction's time.
        var ids = await db.LedgerEntries.AsNoTracking()
            .Where(e => accountIds.Contains(e.AccountId) && e.Transaction.CreatedAt >= start && e.Transaction.CreatedAt < end)
            .Select(e => e.TransactionId)
            .Distinct()
            .OrderBy(id => id)
            .Take(MaxTransactions + 1)
            .ToListAsync(cancellationToken);
        if (ids.Count > MaxTransactions)
        {
            return new StatementResult.TooManyTransactions(MaxTransactions);
        }

        var transactions = await db.LedgerTransactions.AsNoTracking().Include(t => t.Entries).Where(t => ids.Contains(t.Id)).OrderBy(t => t.Id).ToListAsync(cancellationToken);

        var covering = await checkpoints.CoveringAsync(transactions.Count == 0 ? 0 : transactions[^1].LeafIndex!.Value + 1, cancellationToken);
        if (covering is CheckpointResult.Refused { Reason: var reason })
        {
            return new StatementResult.Unavailable(reason);
        }

        var checkpoint = covering.CheckpointOrThrow();
        if (since > checkpoint.TreeSize)
        {
            return new StatementResult.SinceBeyondCheckpoint(checkpoint.TreeSize);
        }

        var balances = new List<AccountBalances>();
        foreach (var account in accounts)
        {
            // Entries are written in posting order, so the balance before the range is the one after the last earlier entry.
            var opening = await db.LedgerEntries.AsNoTracking()
                .Where(e => e.AccountId == account.Id && e.Transaction.CreatedAt < start)
                .OrderByDescending(e => e.Id)
                .Select(e => (long?)e.BalanceAfter)
                .FirstOrDefaultAsync(cancellationToken) ?? 0;
            var closing = transactions.SelectMany(t => t.Entries).Where(e => e.AccountId == account.Id).Select(e => (long?)e.BalanceAfter).LastOrDefault() ?? opening;
            balances.Add(new AccountBalances(account.Id, account.Kind == AccountKind.UserAvailable ? "available" : "held", opening, closing));
        }

        var transactionIds = transactions.Select(t => t.Id).ToList();
        var paths = await LedgerTree.InclusionPathsAsync(db, transactions.Select(t => t.LeafIndex!.Value).ToList(), checkpoint.TreeSize, cancellationToken);
        var receipts = await db.Orders.AsNoTracking()
            .Where(o => o.BuyerId == userId && transactionIds.Contains(o.LedgerTransactionId))
            .OrderBy(o => o.LedgerTransactionId)
            .Select(o => new ReceiptRow(o.Id, o.LedgerTransactionId, o.Receipt, o.ReceiptSignature))
            .ToListAsync(cancellationToken);
        var consistency = since is { } oldSize ? await LedgerTree.ConsistencyPathAsync(db, oldSize, checkpoint.TreeSize, cancellationToken) : null;

        var summary = Summary(userId, from, to, checkpoint, balances, transactionIds, receipts);
        return new StatementResult.Built(File(summary, checkpoint, transactions, paths, receipts, accountIds, since, consistency));
    }

    private string Summary(Guid userId, DateOnly from, DateOnly to, LedgerCheckpoint checkpoint, List<AccountBalances> balances, List<long> transactionIds, List<ReceiptRow> receipts) =>
        Write(new JsonWriterOptions(), w =>
        {
            w.WriteStartObject();
            w.WriteString("format", StatementFormat);
            w.WriteString("user_id", userId.ToString("D"));
            w.WriteString("from", from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("to", to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("issued_at", Receipts.Timestamp(clock.GetUtcNow().UtcDateTime));
            w.WriteNumber("checkpoint_id", checkpoint.Id);
            w.WriteNumber("tree_size", checkpoint.TreeSize);
            w.WriteString("root_hash", checkpoint.RootHash);
            w.WriteStartArray("accounts");
            foreach (var account in balances)
            {
                w.WriteStartObject();
                w.WriteNumber("account_id", account.Id);
                w.WriteString("kind", account.Kind);
                w.WriteString("opening_balance", new Credits(account.Opening).ToDecimalString());
                w.WriteString("closing_balance", new Credits(account.Closing).ToDecimalString());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("transaction_ids");
            foreach (var id in transactionIds)
            {
                w.WriteNumberValue(id);
            }

            w.WriteEndArray();
            w.WriteStartArray("receipts");
            foreach (var receipt in receipts)
            {
                w.WriteStartObject();
                w.WriteString("order_id", receipt.OrderId.ToString("D"));
                w.WriteNumber("transaction_id", receipt.TransactionId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    private byte[] File(string summary, LedgerCheckpoint checkpoint, List<LedgerTransaction> transactions, List<List<byte[]>> paths, List<ReceiptRow> receipts, List<long> accountIds, long? since, List<byte[]>? consistency) =>
        Encoding.UTF8.GetBytes(Write(Indented, w =>
        {
            w.WriteStartObject();
            w.WriteString("format", FileFormat);
            w.WriteString("public_key", signer.PublicKeyText);
            w.WriteString("statement", summary);
            w.WriteString("statement_signature", signer.Sign(summary));
            w.WriteStartObject("checkpoint");
            w.WriteString("checkpoint", checkpoint.Json);
            w.WriteString("signature", checkpoint.Signature);
            w.WriteEndObject();
            w.WriteStartArray("transactions");
            for (var i = 0; i < transactions.Count; i++)
            {
                var transaction = transactions[i];
                w.WriteStartObject();
                w.WriteNumber("transaction_id", transaction.Id);
                w.WriteNumber("leaf_index", transaction.LeafIndex!.Value);
                w.WriteString("canonical", transaction.Canonical());
                w.WriteStartArray("entries");
                foreach (var entry in transaction.Entries.OrderBy(e => e.AccountId))
                {
                    w.WriteStartObject();
                    w.WriteNumber("account_id", entry.AccountId);
                    w.WriteString("amount", new Credits(entry.Amount).ToDecimalString());
                    if (accountIds.Contains(entry.AccountId))
                    {
                        w.WriteString("balance_after", new Credits(entry.BalanceAfter).ToDecimalString());
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                Hashes(w, "inclusion_path", paths[i]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("receipts");
            foreach (var receipt in receipts)
            {
                w.WriteStartObject();
                w.WriteString("order_id", receipt.OrderId.ToString("D"));
                w.WriteNumber("transaction_id", receipt.TransactionId);
                w.WriteString("receipt", receipt.Json);
                w.WriteString("signature", receipt.Signature);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("consistency_proofs");
            if (since is { } from && consistency is not null)
            {
                w.WriteStartObject();
                w.WriteNumber("from", from);
                w.WriteNumber("to", checkpoint.TreeSize);
                Hashes(w, "consistency_path", consistency);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }));

    private static void Hashes(Utf8JsonWriter writer, string name, IEnumerable<byte[]> hashes)
    {
        writer.WriteStartArray(name);
        foreach (var hash in hashes)
        {
            writer.WriteStringValue(StrictBase64Url.Encode(hash));
        }

        writer.WriteEndArray();
    }

    private static string Write(JsonWriterOptions options, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed record AccountBalances(long Id, string Kind, long Opening, long Closing);

    private sealed record ReceiptRow(Guid OrderId, long TransactionId, string Json, string Signature);
}
