using System.Globalization;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Ledger;

namespace Marketplace.Verify;

/// <summary>
/// Checks a verifiable statement offline, one check after another, printing one line each (<c>PASS name: …</c>) and
/// stopping at the first failure (<c>FAIL name: …</c>, exit code 1). The order puts the independent evidence first:
/// the checkpoint's signature, then each transaction against its own canonical bytes and the checkpoint's tree, the
/// receipts, the arithmetic, and last the server's signature over the statement, which binds what nothing else does
/// (whose statement, which days, the opening balances, and that no transaction was left out).
/// </summary>
public static class StatementVerifier
{
    public const string Usage = "usage: Marketplace.Verify <statement.json> [--public-key <base64url>] [--previous-checkpoint <checkpoint.json>]";

    /// <summary>0 when every check passes, 1 at the first that fails, 2 when the arguments or files cannot be read.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryReadArguments(args, out var statementPath, out var pinnedKey, out var previousPath))
        {
            output.WriteLine(Usage);
            return 2;
        }

        byte[] statementBytes;
        byte[]? previousBytes;
        try
        {
            statementBytes = File.ReadAllBytes(statementPath);
            previousBytes = previousPath is null ? null : File.ReadAllBytes(previousPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"cannot read a file: {ex.Message}");
            return 2;
        }

        return Verify(statementBytes, pinnedKey, previousBytes, output);
    }

    /// <summary>The checks over bytes already read: 0 when all pass, 1 at the first failure.</summary>
    internal static int Verify(byte[] statement, string? publicKey, byte[]? previousCheckpoint, TextWriter output) =>
        new Verification(output).Verify(statement, publicKey, previousCheckpoint) ? 0 : 1;

    private static bool TryReadArguments(string[] args, out string statement, out string? publicKey, out string? previous)
    {
        statement = string.Empty;
        publicKey = null;
        previous = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--public-key" when i + 1 < args.Length && publicKey is null:
                    publicKey = args[++i];
                    break;
                case "--previous-checkpoint" when i + 1 < args.Length && previous is null:
                    previous = args[++i];
                    break;
                case var path when !path.StartsWith("--", StringComparison.Ordinal) && statement.Length == 0:
                    statement = path;
                    break;
                default:
                    return false;
            }
        }

        return statement.Length > 0;
    }

    private sealed class Verification(TextWriter output)
    {
        private StatementFile _file = null!;
        private Checkpoint _checkpoint = null!;
        private readonly Dictionary<long, CanonicalTransaction> _canonical = [];

        public bool Verify(byte[] statement, string? pinnedKey, byte[]? previous) =>
            Check("file", () => ReadFile(statement))
            && Check("public key", () => PublicKey(pinnedKey))
            && Check("checkpoint signature", CheckpointSignature)
            && Check("transactions", Transactions)
            && Check("inclusion", Inclusion)
            && Check("receipts", Receipts)
            && Check("balances", Balances)
            && Check("statement signature", StatementSignature)
            && (previous is null || (Check("previous checkpoint signature", () => PreviousCheckpoint(previous, out _)) && Check("consistency", () => Consistency(previous))))
            && Done();

        private bool Done()
        {
            output.WriteLine("All checks passed.");
            return true;
        }

        private bool Check(string name, Func<Outcome> check)
        {
            Outcome outcome;
            try
            {
                outcome = check();
            }
            catch (OverflowException)
            {
                // Amounts that add up past 64 bits are no ledger's.
                outcome = Outcome.Fail("the amounts add up past what any balance can hold");
            }

            output.WriteLine($"{(outcome.Passed ? "PASS" : "FAIL")} {name}: {outcome.Detail}");
            return outcome.Passed;
        }

        private Outcome ReadFile(byte[] statement)
        {
            try
            {
                _file = StatementFile.Read(statement);
            }
            catch (FormatException ex)
            {
                return Outcome.Fail(ex.Message);
            }

            var summary = _file.Summary;
            return Outcome.Pass($"statement of user {summary.UserId} from {Day(summary.From)} to {Day(summary.To)}: {_file.Transactions.Count} transactions, {_file.Receipts.Count} receipts");
        }

        private Outcome PublicKey(string? pinned)
        {
            var inFile = Crypto.EncodeBase64Url(_file.PublicKey);
            if (pinned is null)
            {
                return Outcome.Pass($"{inFile}, taken from the file; pass --public-key with the key published at /api/receipts/public-key to pin it");
            }

            return pinned == inFile
                ? Outcome.Pass($"{inFile}, as given with --public-key")
                : Outcome.Fail($"the file names the key {inFile}, not {pinned}");
        }

        private Outcome CheckpointSignature()
        {
            if (!Signed(_file.Checkpoint))
            {
                return Outcome.Fail("the signature does not verify over the checkpoint's bytes with this key");
            }

            try
            {
                _checkpoint = StatementFile.ReadCheckpoint(_file.Checkpoint.Text);
            }
            catch (FormatException ex)
            {
                return Outcome.Fail(ex.Message);
            }

            return Outcome.Pass($"checkpoint {_checkpoint.Id} of {_checkpoint.Timestamp}: {_checkpoint.TreeSize} transactions, root {Crypto.EncodeBase64Url(_checkpoint.RootHash)}");
        }

        private Outcome Transactions()
        {
            var summary = _file.Summary;
            var own = summary.Accounts.Select(a => a.AccountId).ToHashSet();
            var start = summary.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var end = summary.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            FileTransaction? previous = null;
            foreach (var transaction in _file.Transactions)
            {
                var name = $"transaction {transaction.TransactionId}";
                if (!CanonicalTransaction.TryParse(transaction.Canonical, out var canonical, out var error))
                {
                    return Outcome.Fail($"{name}: its canonical bytes are not a ledger transaction: {error}");
                }

                if (canonical!.Id != transaction.TransactionId)
                {
                    return Outcome.Fail($"{name}: its canonical bytes are transaction {canonical.Id}");
                }

                if (previous is not null && (transaction.TransactionId <= previous.TransactionId || transaction.LeafIndex <= previous.LeafIndex))
                {
                    return Outcome.Fail($"{name}: not after transaction {previous.TransactionId} in id and leaf order");
                }

                if (!transaction.Entries.Select(e => (e.AccountId, e.AmountUnits)).SequenceEqual(canonical.Entries))
                {
                    return Outcome.Fail($"{name}: its entries are not the ones in its canonical bytes");
                }

                if (transaction.Entries.FirstOrDefault(e => own.Contains(e.AccountId) != e.BalanceAfterUnits.HasValue) is { } entry)
                {
                    return Outcome.Fail($"{name}: account {entry.AccountId} {(own.Contains(entry.AccountId) ? "is yours but has no balance_after" : "is not yours but has a balance_after")}");
                }

                if (!transaction.Entries.Any(e => own.Contains(e.AccountId)))
                {
                    return Outcome.Fail($"{name}: it moves none of the statement's accounts");
                }

                if (canonical.CreatedAt < start || canonical.CreatedAt >= end)
                {
                    return Outcome.Fail($"{name}: it was posted {canonical.CreatedAt:O}, outside {Day(summary.From)} to {Day(summary.To)}");
                }

                _canonical[transaction.TransactionId] = canonical;
                previous = transaction;
            }

            return Outcome.Pass($"{_file.Transactions.Count} transactions read from their canonical bytes; each balances and its entries match");
        }

        private Outcome Inclusion()
        {
            foreach (var transaction in _file.Transactions)
            {
                var leaf = Merkle.LeafHash(Encoding.UTF8.GetBytes(transaction.Canonical));
                if (!Merkle.VerifyInclusion(leaf, transaction.LeafIndex, _checkpoint.TreeSize, transaction.InclusionPath, _checkpoint.RootHash))
                {
                    return Outcome.Fail($"transaction {transaction.TransactionId} is not leaf {transaction.LeafIndex} of checkpoint {_checkpoint.Id}'s tree: its inclusion proof does not lead to the signed root");
                }
            }

            return Outcome.Pass($"every transaction is in the tree of checkpoint {_checkpoint.Id} at its leaf");
        }

        private Outcome Receipts()
        {
            var summary = _file.Summary;
            var available = summary.Accounts.FirstOrDefault(a => a.Kind == "available")?.AccountId;
            var transactions = _file.Transactions.ToDictionary(t => t.TransactionId);
            foreach (var receipt in _file.Receipts)
            {
                var name = $"receipt of order {receipt.OrderId}";
                if (!Crypto.TryDecodeBase64Url(receipt.Signature, out var signature) || !Crypto.VerifyEd25519(_file.PublicKey, Encoding.UTF8.GetBytes(receipt.Receipt), signature))
                {
                    return Outcome.Fail($"{name}: the signature does not verify over the receipt's bytes with this key");
                }

                if (!TryReadReceipt(receipt.Receipt, out var orderId, out var payer, out var amount, out var newBalance))
                {
                    return Outcome.Fail($"{name}: the signed receipt lacks order_id, buyer_id or sender_id, amount or new_balance");
                }

                if (orderId != receipt.OrderId || payer != summary.UserId)
                {
                    return Outcome.Fail($"{name}: the signed receipt is for order {orderId} paid by {payer}");
                }

                var entry = transactions.TryGetValue(receipt.TransactionId, out var transaction) ? transaction.Entries.FirstOrDefault(e => e.AccountId == available) : null;
                if (entry is null || entry.AmountUnits != -amount || entry.BalanceAfterUnits != newBalance)
                {
                    return Outcome.Fail($"{name}: transaction {receipt.TransactionId} does not take its amount from the available balance leaving its new_balance");
                }
            }

            return Outcome.Pass($"{_file.Receipts.Count} receipts signed by this key, each matching its transaction");
        }

        private Outcome Balances()
        {
            var lines = new List<string>();
            foreach (var account in _file.Summary.Accounts)
            {
                var running = account.OpeningUnits;
                foreach (var transaction in _file.Transactions)
                {
                    if (transaction.Entries.FirstOrDefault(e => e.AccountId == account.AccountId) is not { } entry)
                    {
                        continue;
                    }

                    running = checked(running + entry.AmountUnits);
                    if (entry.BalanceAfterUnits != running)
                    {
                        return Outcome.Fail($"{account.Kind} account {account.AccountId}: after transaction {transaction.TransactionId} the balance is {Amount(running)}, the file says {Amount(entry.BalanceAfterUnits ?? 0)}");
                    }
                }

                if (running != account.ClosingUnits)
                {
                    return Outcome.Fail($"{account.Kind} account {account.AccountId}: {Amount(account.OpeningUnits)} plus the entries is {Amount(running)}, not the closing {Amount(account.ClosingUnits)}");
                }

                lines.Add($"{account.Kind} {Amount(account.OpeningUnits)} → {Amount(account.ClosingUnits)}");
            }

            return Outcome.Pass(string.Join(", ", lines) + ", as the entries add up");
        }

        private Outcome StatementSignature()
        {
            var summary = _file.Summary;
            if (!Signed(_file.Statement))
            {
                return Outcome.Fail("the signature does not verify over the statement's bytes with this key");
            }

            if (summary.CheckpointId != _checkpoint.Id || summary.TreeSize != _checkpoint.TreeSize || !summary.RootHash.AsSpan().SequenceEqual(_checkpoint.RootHash))
            {
                return Outcome.Fail($"the signed statement names checkpoint {summary.CheckpointId} of {summary.TreeSize} transactions, not the one in the file");
            }

            if (!summary.TransactionIds.SequenceEqual(_file.Transactions.Select(t => t.TransactionId)))
            {
                return Outcome.Fail($"the signed statement lists {summary.TransactionIds.Count} transactions, not the {_file.Transactions.Count} in the file");
            }

            if (!summary.Receipts.SequenceEqual(_file.Receipts.Select(r => (r.OrderId, r.TransactionId))))
            {
                return Outcome.Fail($"the signed statement lists {summary.Receipts.Count} receipts, not the {_file.Receipts.Count} in the file");
            }

            return Outcome.Pass("the server signed this statement: its user, days, opening and closing balances, and exactly these transactions and receipts");
        }

        private Outcome PreviousCheckpoint(byte[] previous, out Checkpoint? saved)
        {
            saved = null;
            SignedText signed;
            try
            {
                signed = StatementFile.ReadSavedCheckpoint(previous);
            }
            catch (FormatException ex)
            {
                return Outcome.Fail(ex.Message);
            }

            if (!Signed(signed))
            {
                return Outcome.Fail("the saved checkpoint's signature does not verify with this key");
            }

            try
            {
                saved = StatementFile.ReadCheckpoint(signed.Text);
            }
            catch (FormatException ex)
            {
                return Outcome.Fail(ex.Message);
            }

            return Outcome.Pass($"checkpoint {saved.Id} of {saved.Timestamp}: {saved.TreeSize} transactions, root {Crypto.EncodeBase64Url(saved.RootHash)}");
        }

        private Outcome Consistency(byte[] previous)
        {
            _ = PreviousCheckpoint(previous, out var saved);
            if (saved!.TreeSize > _checkpoint.TreeSize)
            {
                return Outcome.Fail($"the saved checkpoint {saved.Id} ({saved.TreeSize} transactions) is newer than the statement's checkpoint {_checkpoint.Id} ({_checkpoint.TreeSize}); download a new statement");
            }

            var proof = _file.ConsistencyProofs.FirstOrDefault(p => p.From == saved.TreeSize && p.To == _checkpoint.TreeSize);
            if (proof is null && saved.TreeSize != _checkpoint.TreeSize && saved.TreeSize != 0)
            {
                return Outcome.Fail($"the file holds no consistency proof from {saved.TreeSize} to {_checkpoint.TreeSize} transactions; download the statement with the saved checkpoint's tree size, or add GET /api/ledger/proof/consistency?from={saved.TreeSize}&to={_checkpoint.TreeSize} to consistency_proofs");
            }

            return Merkle.VerifyConsistency(saved.TreeSize, _checkpoint.TreeSize, saved.RootHash, _checkpoint.RootHash, proof?.Path ?? [])
                ? Outcome.Pass($"checkpoint {_checkpoint.Id} ({_checkpoint.TreeSize} transactions) extends the saved checkpoint {saved.Id} ({saved.TreeSize}): the ledger was only appended to")
                : Outcome.Fail($"checkpoint {_checkpoint.Id} does not extend the saved checkpoint {saved.Id}: the history that checkpoint signed was changed or removed since");
        }

        private bool Signed(SignedText signed) =>
            Crypto.TryDecodeBase64Url(signed.Signature, out var signature) && Crypto.VerifyEd25519(_file.PublicKey, Encoding.UTF8.GetBytes(signed.Text), signature);

        /// <summary>The fields of a signed receipt that tie it to a transaction; purchases name the buyer, transfers the sender.</summary>
        private static bool TryReadReceipt(string receipt, out Guid orderId, out Guid payer, out long amount, out long newBalance)
        {
            orderId = payer = Guid.Empty;
            amount = newBalance = 0;
            try
            {
                using var document = JsonDocument.Parse(receipt, new JsonDocumentOptions { AllowDuplicateProperties = false });
                var root = document.RootElement;
                return root.ValueKind == JsonValueKind.Object
                    && Text(root, "order_id") is { } order && Guid.TryParse(order, out orderId)
                    && (Text(root, "buyer_id") ?? Text(root, "sender_id")) is { } paidBy && Guid.TryParse(paidBy, out payer)
                    && StatementFile.TryParseAmount(Text(root, "amount"), out amount)
                    && StatementFile.TryParseAmount(Text(root, "new_balance"), out newBalance);
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static string Amount(long units) =>
            (units < 0 ? "-" : "") + (Math.Abs(units) / 100).ToString(CultureInfo.InvariantCulture) + "." + (Math.Abs(units) % 100).ToString("00", CultureInfo.InvariantCulture);
    }

    private readonly record struct Outcome(bool Passed, string Detail)
    {
        public static Outcome Pass(string detail) => new(true, detail);

        public static Outcome Fail(string detail) => new(false, detail);
    }
}
