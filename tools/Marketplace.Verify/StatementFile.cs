using System.Globalization;
using System.Text.Json;

namespace Marketplace.Verify;

internal sealed record SignedText(string Text, string Signature);

internal sealed record FileEntry(long AccountId, long AmountUnits, long? BalanceAfterUnits);

internal sealed record FileTransaction(long TransactionId, long LeafIndex, string Canonical, IReadOnlyList<FileEntry> Entries, IReadOnlyList<byte[]> InclusionPath);

internal sealed record FileReceipt(Guid OrderId, long TransactionId, string Receipt, string Signature);

internal sealed record ConsistencyProof(long From, long To, IReadOnlyList<byte[]> Path);

internal sealed record StatementAccount(long AccountId, string Kind, long OpeningUnits, long ClosingUnits);

/// <summary>The statement the server signed: whose, which days, which checkpoint, the accounts' balances, and exactly which transactions and receipts.</summary>
internal sealed record StatementSummary(
    Guid UserId,
    DateOnly From,
    DateOnly To,
    long CheckpointId,
    long TreeSize,
    byte[] RootHash,
    IReadOnlyList<StatementAccount> Accounts,
    IReadOnlyList<long> TransactionIds,
    IReadOnlyList<(Guid OrderId, long TransactionId)> Receipts);

/// <summary>A signed tree head as the server writes it.</summary>
internal sealed record Checkpoint(long Id, long TreeSize, byte[] RootHash, string Timestamp, long? ReconciliationRunId, int? Discrepancies);

/// <summary>A verifiable statement file (VerifiableStatements on the server), read strictly: every property known, every one where it belongs.</summary>
internal sealed record StatementFile(
    byte[] PublicKey,
    SignedText Statement,
    StatementSummary Summary,
    SignedText Checkpoint,
    IReadOnlyList<FileTransaction> Transactions,
    IReadOnlyList<FileReceipt> Receipts,
    IReadOnlyList<ConsistencyProof> ConsistencyProofs)
{
    public const string Format = "marketplace-verifiable-statement-v1";
    public const string StatementFormat = "marketplace-statement-v1";
    public const string CheckpointFormat = "marketplace-ledger-checkpoint-v1";

    /// <summary>Reads the file; a <see cref="FormatException"/> names what is wrong and where.</summary>
    public static StatementFile Read(byte[] utf8)
    {
        var root = Parse(utf8, "the file");
        var file = new Fields(root, "the file", ["format", "public_key", "statement", "statement_signature", "checkpoint", "transactions", "receipts", "consistency_proofs"]);
        if (file.String("format") != Format)
        {
            throw new FormatException($"format is not {Format}");
        }

        var statement = new SignedText(file.String("statement"), file.String("statement_signature"));
        return new StatementFile(
            file.Base64Url("public_key"),
            statement,
            ReadSummary(statement.Text),
            ReadSignedCheckpoint(file.Object("checkpoint"), "checkpoint"),
            file.Array("transactions").Select((t, i) => ReadTransaction(t, $"transactions[{i}]")).ToList(),
            file.Array("receipts").Select((r, i) => ReadReceipt(r, $"receipts[{i}]")).ToList(),
            file.Array("consistency_proofs").Select((p, i) => ReadConsistency(p, $"consistency_proofs[{i}]")).ToList());
    }

    /// <summary>A checkpoint saved earlier: <c>{ checkpoint, signature }</c> from /api/ledger/checkpoints/latest, or an earlier statement file (its checkpoint).</summary>
    public static SignedText ReadSavedCheckpoint(byte[] utf8)
    {
        var root = Parse(utf8, "the saved checkpoint");
        return root.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && format.GetString() == Format
            ? Read(utf8).Checkpoint
            : ReadSignedCheckpoint(root, "the saved checkpoint");
    }

    public static Checkpoint ReadCheckpoint(string text)
    {
        const string Where = "the checkpoint";
        var fields = new Fields(Parse(System.Text.Encoding.UTF8.GetBytes(text), Where), Where, ["format", "id", "tree_size", "root_hash", "timestamp"], ["previous_id", "previous_sha256", "reconciliation_run_id", "discrepancies"]);
        if (fields.String("format") != CheckpointFormat)
        {
            throw new FormatException($"{Where} is not a {CheckpointFormat}");
        }

        var discrepancies = fields.OptionalLong("discrepancies");
        return new Checkpoint(fields.Long("id"), fields.Long("tree_size"), fields.Base64Url("root_hash"), fields.String("timestamp"), fields.OptionalLong("reconciliation_run_id"), discrepancies is { } d ? checked((int)d) : null);
    }

    /// <summary>Minor units from a decimal string with exactly two decimals, as the API writes them ("-12.50").</summary>
    public static bool TryParseAmount(string? text, out long units)
    {
        units = 0;
        if (text is null)
        {
            return false;
        }

        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        var point = digits.IndexOf('.', StringComparison.Ordinal);
        if (point < 1 || digits.Length - point != 3 || (point > 1 && digits[0] == '0') || !digits.Remove(point, 1).All(char.IsAsciiDigit)
            || !long.TryParse(digits.Remove(point, 1), NumberStyles.None, CultureInfo.InvariantCulture, out units) || (negative && units == 0))
        {
            return false;
        }

        units = negative ? -units : units;
        return true;
    }

    private static StatementSummary ReadSummary(string text)
    {
        const string Where = "the statement";
        var fields = new Fields(Parse(System.Text.Encoding.UTF8.GetBytes(text), Where), Where, ["format", "user_id", "from", "to", "issued_at", "checkpoint_id", "tree_size", "root_hash", "accounts", "transaction_ids", "receipts"]);
        if (fields.String("format") != StatementFormat)
        {
            throw new FormatException($"{Where} is not a {StatementFormat}");
        }

        return new StatementSummary(
            fields.Guid("user_id"),
            fields.Day("from"),
            fields.Day("to"),
            fields.Long("checkpoint_id"),
            fields.Long("tree_size"),
            fields.Base64Url("root_hash"),
            fields.Array("accounts").Select((a, i) =>
            {
                var account = new Fields(a, $"{Where}'s accounts[{i}]", ["account_id", "kind", "opening_balance", "closing_balance"]);
                return new StatementAccount(account.Long("account_id"), account.String("kind"), account.Amount("opening_balance"), account.Amount("closing_balance"));
            }).ToList(),
            fields.Array("transaction_ids").Select((t, i) => Fields.Long(t, $"{Where}'s transaction_ids[{i}]")).ToList(),
            fields.Array("receipts").Select((r, i) =>
            {
                var receipt = new Fields(r, $"{Where}'s receipts[{i}]", ["order_id", "transaction_id"]);
                return (receipt.Guid("order_id"), receipt.Long("transaction_id"));
            }).ToList());
    }

    private static SignedText ReadSignedCheckpoint(JsonElement element, string where)
    {
        var fields = new Fields(element, where, ["checkpoint", "signature"]);
        return new SignedText(fields.String("checkpoint"), fields.String("signature"));
    }

    private static FileTransaction ReadTransaction(JsonElement element, string where)
    {
        var fields = new Fields(element, where, ["transaction_id", "leaf_index", "canonical", "entries", "inclusion_path"]);
        return new FileTransaction(
            fields.Long("transaction_id"),
            fields.Long("leaf_index"),
            fields.String("canonical"),
            fields.Array("entries").Select((e, i) =>
            {
                var entry = new Fields(e, $"{where}.entries[{i}]", ["account_id", "amount"], ["balance_after"]);
                return new FileEntry(entry.Long("account_id"), entry.Amount("amount"), entry.Has("balance_after") ? entry.Amount("balance_after") : null);
            }).ToList(),
            fields.Hashes("inclusion_path"));
    }

    private static FileReceipt ReadReceipt(JsonElement element, string where)
    {
        var fields = new Fields(element, where, ["order_id", "transaction_id", "receipt", "signature"]);
        return new FileReceipt(fields.Guid("order_id"), fields.Long("transaction_id"), fields.String("receipt"), fields.String("signature"));
    }

    private static ConsistencyProof ReadConsistency(JsonElement element, string where)
    {
        var fields = new Fields(element, where, ["from", "to", "consistency_path"]);
        return new ConsistencyProof(fields.Long("from"), fields.Long("to"), fields.Hashes("consistency_path"));
    }

    private static JsonElement Parse(byte[] utf8, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowDuplicateProperties = false });
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{where} is not JSON: {ex.Message}", ex);
        }
    }

    /// <summary>One JSON object's properties: exactly the required ones, perhaps some optional ones, nothing else.</summary>
    private sealed class Fields
    {
        private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
        private readonly string _where;

        public Fields(JsonElement element, string where, string[] required, string[]? optional = null)
        {
            _where = where;
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{where} is not an object");
            }

            foreach (var property in element.EnumerateObject())
            {
                if (!required.Contains(property.Name) && optional?.Contains(property.Name) != true)
                {
                    throw new FormatException($"{where} has an unexpected property '{property.Name}'");
                }

                _values[property.Name] = property.Value;
            }

            if (required.FirstOrDefault(r => !_values.ContainsKey(r)) is { } missing)
            {
                throw new FormatException($"{where} has no '{missing}'");
            }
        }

        public bool Has(string name) => _values.ContainsKey(name);

        public string String(string name) =>
            _values[name].ValueKind == JsonValueKind.String ? _values[name].GetString()! : throw Wrong(name, "a string");

        public long Long(string name) => Long(_values[name], $"{_where}.{name}");

        public long? OptionalLong(string name) => Has(name) ? Long(name) : null;

        public static long Long(JsonElement value, string where) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0 && value.GetRawText() == number.ToString(CultureInfo.InvariantCulture)
                ? number
                : throw new FormatException($"{where} is not a whole number");

        public long Amount(string name) =>
            TryParseAmount(String(name), out var units) ? units : throw Wrong(name, "a decimal amount such as 12.50");

        public Guid Guid(string name) =>
            System.Guid.TryParseExact(String(name), "D", out var id) && id.ToString("D") == String(name) ? id : throw Wrong(name, "a lowercase UUID");

        public DateOnly Day(string name) =>
            DateOnly.TryParseExact(String(name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : throw Wrong(name, "a date YYYY-MM-DD");

        public byte[] Base64Url(string name) =>
            Crypto.TryDecodeBase64Url(String(name), out var bytes) ? bytes : throw Wrong(name, "base64url");

        public JsonElement Object(string name) => _values[name];

        public List<JsonElement> Array(string name) =>
            _values[name].ValueKind == JsonValueKind.Array ? _values[name].EnumerateArray().ToList() : throw Wrong(name, "an array");

        public List<byte[]> Hashes(string name) =>
            Array(name).Select((h, i) => h.ValueKind == JsonValueKind.String && Crypto.TryDecodeBase64Url(h.GetString(), out var bytes) && bytes.Length == 32
                ? bytes
                : throw new FormatException($"{_where}.{name}[{i}] is not a base64url SHA-256 hash")).ToList();

        private FormatException Wrong(string name, string expected) => new($"{_where}.{name} is not {expected}");
    }
}
