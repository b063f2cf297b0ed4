using System.Globalization;
using System.Text;

namespace Marketplace.Verify;

/// <summary>
/// A ledger transaction's canonical form, the leaf the Merkle tree hashes, read back:
/// <c>ledger-v1|{id}|{kind}|{key byte length}:{idempotency key}|{created, yyyy-MM-ddTHH:mm:ss.fffffffZ}|{account id}:{signed
/// minor units},…|{previous hash, 64 lowercase hex}</c>, entries in ascending account id. Written here from that
/// description (README → Tamper evidence), not from the server's code.
/// </summary>
internal sealed record CanonicalTransaction(long Id, int Kind, string IdempotencyKey, DateTime CreatedAt, IReadOnlyList<(long AccountId, long AmountUnits)> Entries, string PreviousHash)
{
    private const string Version = "ledger-v1|";

    public static bool TryParse(string text, out CanonicalTransaction? transaction, out string error)
    {
        transaction = null;
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = 0;
        if (!bytes.AsSpan().StartsWith(Encoding.ASCII.GetBytes(Version)))
        {
            error = "it does not start with ledger-v1|";
            return false;
        }

        at = Version.Length;
        if (!Number(bytes, ref at, (byte)'|', out var id) || id <= 0)
        {
            error = "no transaction id";
            return false;
        }

        if (!Number(bytes, ref at, (byte)'|', out var kind) || kind > int.MaxValue)
        {
            error = "no kind";
            return false;
        }

        if (!Number(bytes, ref at, (byte)':', out var keyLength) || keyLength > bytes.Length - at)
        {
            error = "no idempotency key length";
            return false;
        }

        string key;
        try
        {
            key = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, at, (int)keyLength);
        }
        catch (DecoderFallbackException)
        {
            error = "the idempotency key is not UTF-8";
            return false;
        }

        at += (int)keyLength;
        if (at >= bytes.Length || bytes[at++] != (byte)'|')
        {
            error = "the idempotency key is not followed by |";
            return false;
        }

        var fields = Encoding.UTF8.GetString(bytes, at, bytes.Length - at).Split('|');
        if (fields.Length != 3)
        {
            error = "it does not end with created|entries|previous hash";
            return false;
        }

        if (!DateTime.TryParseExact(fields[0], "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created))
        {
            error = "its time is not yyyy-MM-ddTHH:mm:ss.fffffffZ";
            return false;
        }

        var entries = new List<(long, long)>();
        long sum = 0;
        long previousAccount = 0;
        foreach (var entry in fields[1].Split(','))
        {
            var parts = entry.Split(':');
            if (parts.Length != 2 || !Digits(parts[0], out var account) || account <= previousAccount
                || !(parts[1].StartsWith('-') ? Digits(parts[1][1..], out var magnitude) && magnitude > 0 : Digits(parts[1], out magnitude) && magnitude > 0))
            {
                error = $"its entry '{entry}' is not <account id>:<non-zero minor units> in ascending account order";
                return false;
            }

            var amount = parts[1].StartsWith('-') ? -magnitude : magnitude;
            entries.Add((account, amount));
            previousAccount = account;
            try
            {
                sum = checked(sum + amount);
            }
            catch (OverflowException)
            {
                sum = long.MaxValue;
            }
        }

        if (entries.Count < 2 || sum != 0)
        {
            error = "its entries do not balance";
            return false;
        }

        if (fields[2].Length != 64 || !fields[2].All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            error = "its previous hash is not 64 lowercase hex digits";
            return false;
        }

        transaction = new CanonicalTransaction(id, (int)kind, key, created, entries, fields[2]);
        error = string.Empty;
        return true;
    }

    /// <summary>Digits without a leading zero (0 itself excepted), ending at <paramref name="end"/>.</summary>
    private static bool Number(byte[] bytes, ref int at, byte end, out long value)
    {
        var stop = Array.IndexOf(bytes, end, at);
        value = 0;
        if (stop < 0 || !Digits(Encoding.ASCII.GetString(bytes, at, stop - at), out value))
        {
            return false;
        }

        at = stop + 1;
        return true;
    }

    private static bool Digits(string text, out long value)
    {
        value = 0;
        return text.Length > 0
            && text.All(char.IsAsciiDigit)
            && (text.Length == 1 || text[0] != '0')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
