using System.Data.Common;
using System.Globalization;
using Marketplace.Core.Orders;
using System.Text.Json;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.ClickPesa;
using Marketplace.Core.Payments.Demo;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Text;

namespace Marketplace.Core.Ledger;

/// <summary>
/// The checks of one reconciliation pass. Each is one set-based query (GROUP BY, joins, window
/// functions) over the whole ledger, never a query per account, and returns at most
/// <see cref="MaxPerCheck"/> findings. The SQL is plain enough for SQLite and PostgreSQL alike:
/// quoted identifiers, <c>||</c>, window functions.
/// </summary>
public static class ReconciliationChecks
{
    public const int MaxPerCheck = 1000;

    public const string TransactionBalances = "transaction_balances";
    public const string AccountBalance = "account_balance";
    public const string IntegerBalance = "integer_balance";
    public const string BalanceAfter = "balance_after";
    public const string NegativeUserBalance = "negative_user_balance";
    public const string PaymentTopUp = "payment_topup";
    public const string TopUpPayment = "topup_payment";
    public const string PaymentBonus = "payment_bonus";
    public const string BonusPayment = "bonus_payment";
    public const string HoldResolution = "hold_resolution";
    public const string OrderPurchase = "order_purchase";
    public const string Chain = "chain";
    public const string MerkleTree = "merkle_tree";
    public const string Checkpoint = "checkpoint";
    public const string CollectedNotCredited = "collected_not_credited";

    // Ledger keys embed ids as 32 lowercase hex digits (Guid format "N"); SQLite keeps Guids as text with dashes.
    private static string KeyOf(string prefix, string idColumn) => $"'{prefix}' || lower(replace(CAST({idColumn} AS TEXT), '-', ''))";

    /// <summary>Every transaction has two or more entries and they sum to zero.</summary>
    public static Task TransactionsBalanceAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken) =>
        QueryAsync(connection, transaction, $"""
            SELECT t."Id", COALESCE(SUM(e."Amount"), 0), COUNT(e."Id")
            FROM "ledger_transactions" t
            LEFT JOIN "ledger_entries" e ON e."TransactionId" = t."Id"
            GROUP BY t."Id"
            HAVING COALESCE(SUM(e."Amount"), 0) <> 0 OR COUNT(e."Id") < 2
            ORDER BY t."Id"
            LIMIT {MaxPerCheck}
            """,
            r => found.Add(ReconciliationDiscrepancy.Create(
                TransactionBalances,
                "entries summing to 0, at least 2",
                $"sum {Number(r.GetInt64(1))} over {r.GetInt64(2)} entries",
                "The transaction does not balance.",
                transactionId: r.GetInt64(0))),
            cancellationToken);

    /// <summary>
    /// Every stored balance is a whole number of minor units. SQLite stores an overflowing sum as a floating-point number,
    /// which reads back clamped; the triggers of the BalanceGuards migration stop new ones, this finds any from before.
    /// </summary>
    public static Task BalancesAreIntegersAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken) =>
        QueryAsync(connection, transaction, $"""
            SELECT "Id", "Code", CAST("Balance" AS TEXT)
            FROM "accounts"
            WHERE "Balance" <> CAST("Balance" AS BIGINT)
            ORDER BY "Id"
            LIMIT {MaxPerCheck}
            """,
            r => found.Add(ReconciliationDiscrepancy.Create(
                IntegerBalance,
                "a whole number of minor units",
                r.GetString(2),
                $"The stored balance of {r.GetString(1)} is not an integer (an overflow stored as a floating-point number).",
                accountId: r.GetInt64(0))),
            cancellationToken);

    /// <summary>
    /// Two checks from one read of the entries. <see cref="BalanceAfter"/>: each entry's balance-after is the running
    /// sum of its account's entries in id order; only the first wrong entry per account is reported (every later one
    /// follows from it), with how many there are. <see cref="AccountBalance"/>: each account's stored balance equals the
    /// sum of its entries. The entries are read once in id order (the table's own order: no sort, no index), and each
    /// account's running sum is carried in memory from one of its entries to the next, so the pass ends holding every
    /// account's sum for the second check. An account whose entries do not sum within 64 bits is reported as such.
    /// </summary>
    public static async Task AccountEntriesAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(found);
        var runs = new Dictionary<long, AccountRun>();
        await QueryAsync(connection, transaction, """
            SELECT "Id", "AccountId", "TransactionId", "Amount", "BalanceAfter"
            FROM "ledger_entries"
            ORDER BY "Id"
            """,
            r =>
            {
                var accountId = r.GetInt64(1);
                if (!runs.TryGetValue(accountId, out var run))
                {
                    runs.Add(accountId, run = new AccountRun());
                }

                if (run.Overflowed)
                {
                    return;
                }

                var amount = r.GetInt64(3);
                if ((amount > 0 && run.Sum > long.MaxValue - amount) || (amount < 0 && run.Sum < long.MinValue - amount))
                {
                    run.Overflowed = true;
                    return;
                }

                run.Sum += amount;
                var after = r.GetInt64(4);
                if (after != run.Sum && run.Wrong++ == 0)
                {
                    run.First = (r.GetInt64(0), r.GetInt64(2), run.Sum, after);
                }
            },
            cancellationToken);

        var reported = 0;
        await QueryAsync(connection, transaction, """
            SELECT "Id", "Code", "Balance"
            FROM "accounts"
            ORDER BY "Id"
            """,
            r =>
            {
                var accountId = r.GetInt64(0);
                var run = runs.GetValueOrDefault(accountId);
                if (reported >= MaxPerCheck)
                {
                    return;
                }

                if (run is { Overflowed: true })
                {
                    reported++;
                    found.Add(ReconciliationDiscrepancy.Create(
                        AccountBalance,
                        "the sum of its entries",
                        "failed: the sum of the account's entries does not fit 64 bits",
                        $"The entries of {r.GetString(1)} cannot be added up; the ledger is damaged there.",
                        accountId: accountId));
                    return;
                }

                var sum = run?.Sum ?? 0;
                // A balance SQLite stored as a floating-point number (an overflow from before the guards) never matches: past
                // 2^53 a double can equal a sum it does not hold, and money is never stored that way.
                var (matches, stored) = r.GetValue(2) switch
                {
                    long balance => (balance == sum, Number(balance)),
                    double balance => (false, balance.ToString("R", CultureInfo.InvariantCulture)),
                    var other => (false, Convert.ToString(other, CultureInfo.InvariantCulture) ?? "null"),
                };
                if (!matches)
                {
                    reported++;
                    found.Add(ReconciliationDiscrepancy.Create(
                        AccountBalance,
                        Number(sum),
                        stored,
                        $"The stored balance of {r.GetString(1)} is not the sum of its entries.",
                        accountId: accountId));
                }
            },
            cancellationToken);

        var balanceAfter = runs.Where(a => a.Value.Wrong > 0 && !a.Value.Overflowed).OrderBy(a => a.Key).Take(MaxPerCheck);
        foreach (var (accountId, run) in balanceAfter)
        {
            var (entryId, transactionId, running, after) = run.First;
            found.Add(ReconciliationDiscrepancy.Create(
                BalanceAfter,
                Number(running),
                Number(after),
                string.Create(CultureInfo.InvariantCulture, $"The balance after this entry is not the running sum of the account's entries ({run.Wrong} entries of the account disagree, this is the first)."),
                transactionId: transactionId,
                entryId: entryId,
                accountId: accountId));
        }
    }

    /// <summary>What the pass over the entries carries for one account.</summary>
    private sealed class AccountRun
    {
        public long Sum;
        public long Wrong;
        public bool Overflowed;
        public (long EntryId, long TransactionId, long Running, long After) First;
    }

    /// <summary>User wallets never go below zero (platform and clearing accounts may).</summary>
    public static Task UserAccountsNotNegativeAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken) =>
        QueryAsync(connection, transaction, $"""
            SELECT "Id", "Code", "Balance"
            FROM "accounts"
            WHERE "Kind" IN ({(int)AccountKind.UserAvailable}, {(int)AccountKind.UserHeld}) AND "Balance" < 0
            ORDER BY "Id"
            LIMIT {MaxPerCheck}
            """,
            r => found.Add(ReconciliationDiscrepancy.Create(
                NegativeUserBalance,
                "0 or more",
                Number(r.GetInt64(2)),
                $"The user account {r.GetString(1)} is negative.",
                accountId: r.GetInt64(0))),
            cancellationToken);

    /// <summary>
    /// A succeeded (or later refunded) payment has its top-up <c>topup:&lt;payment id&gt;</c> of kind TopUp, and the
    /// payment names that transaction; any other payment has none. The key is unique, so "one" means "exists".
    /// </summary>
    public static Task PaymentsHaveTopUpsAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken)
    {
        var credited = $"{(int)PaymentStatus.Succeeded}, {(int)PaymentStatus.Refunded}";
        return QueryAsync(connection, transaction, $"""
            SELECT p."Id", p."Status", p."LedgerTransactionId", t."Id", t."Kind"
            FROM "payments" p
            LEFT JOIN "ledger_transactions" t ON t."IdempotencyKey" = {KeyOf("topup:", "p.\"Id\"")}
            WHERE (p."Status" IN ({credited}) AND (t."Id" IS NULL OR t."Kind" <> {(int)TransactionKind.TopUp} OR p."LedgerTransactionId" IS NULL OR p."LedgerTransactionId" <> t."Id"))
               OR (p."Status" NOT IN ({credited}) AND (t."Id" IS NOT NULL OR p."LedgerTransactionId" IS NOT NULL))
            ORDER BY p."Id"
            LIMIT {MaxPerCheck}
            """,
            r =>
            {
                var paymentId = r.GetGuid(0);
                var status = (PaymentStatus)r.GetInt32(1);
                long? linked = r.IsDBNull(2) ? null : r.GetInt64(2);
                long? topUp = r.IsDBNull(3) ? null : r.GetInt64(3);
                var (expected, actual, message) = (status, topUp) switch
                {
                    (PaymentStatus.Succeeded or PaymentStatus.Refunded, null) =>
                        ($"one top-up topup:{paymentId:N}", "none", $"The payment is {WireName.Of(status)} but no credits were posted for it."),
                    (PaymentStatus.Succeeded or PaymentStatus.Refunded, _) when (TransactionKind)r.GetInt32(4) != TransactionKind.TopUp =>
                        (WireName.Of(TransactionKind.TopUp), WireName.Of((TransactionKind)r.GetInt32(4)), "The payment's top-up key was posted with another kind."),
                    (PaymentStatus.Succeeded or PaymentStatus.Refunded, _) =>
                        (Id(topUp), Id(linked), "The payment does not name its top-up transaction."),
                    _ => ("no top-up", topUp is null ? $"linked transaction {linked}" : $"top-up transaction {topUp}", $"The payment is {WireName.Of(status)} but has credits posted for it."),
                };
                found.Add(ReconciliationDiscrepancy.Create(PaymentTopUp, expected, actual, message, transactionId: topUp ?? linked, paymentId: paymentId));
            },
            cancellationToken);
    }

    /// <summary>
    /// Every top-up (kind TopUp or a <c>topup:</c> key) belongs to a payment. The subquery finds each payment's
    /// top-up through the unique key index once; joining the other way would compare every pair.
    /// </summary>
    public static Task TopUpsHavePaymentsAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken) =>
        PaymentKeyedHavePaymentsAsync(connection, transaction, found, TopUpPayment, TransactionKind.TopUp, "topup:", "a payment for this top-up", "The top-up {0} has no payment.", cancellationToken);

    /// <summary>
    /// A succeeded (or later refunded) package payment with a bonus has exactly one bonus grant <c>bonus:&lt;payment id&gt;</c>
    /// of kind BonusGrant that credits the shopper's wallet the bonus recorded on the payment; any other payment has
    /// none. Only package payments and payments that have a bonus key are looked at beyond the key index.
    /// </summary>
    public static Task PaymentsHaveBonusesAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken)
    {
        var credited = $"{(int)PaymentStatus.Succeeded}, {(int)PaymentStatus.Refunded}";
        return QueryAsync(connection, transaction, $"""
            SELECT p."Id", p."Status", COALESCE(p."BonusUnits", 0), t."Id", t."Kind", e."Amount"
            FROM "payments" p
            LEFT JOIN "ledger_transactions" t ON t."IdempotencyKey" = {KeyOf("bonus:", "p.\"Id\"")}
            LEFT JOIN "accounts" a ON a."OwnerId" = p."UserId" AND a."Kind" = {(int)AccountKind.UserAvailable} AND t."Id" IS NOT NULL
            LEFT JOIN "ledger_entries" e ON e."TransactionId" = t."Id" AND e."AccountId" = a."Id"
            WHERE (p."PackageId" IS NOT NULL OR t."Id" IS NOT NULL)
              AND ((p."Status" IN ({credited}) AND COALESCE(p."BonusUnits", 0) > 0
                    AND (t."Id" IS NULL OR t."Kind" <> {(int)TransactionKind.BonusGrant} OR e."Amount" IS NULL OR e."Amount" <> p."BonusUnits"))
                OR ((p."Status" NOT IN ({credited}) OR COALESCE(p."BonusUnits", 0) = 0) AND t."Id" IS NOT NULL))
            ORDER BY p."Id"
            LIMIT {MaxPerCheck}
            """,
            r =>
            {
                var paymentId = r.GetGuid(0);
                var status = (PaymentStatus)r.GetInt32(1);
                var bonus = r.GetInt64(2);
                long? grant = r.IsDBNull(3) ? null : r.GetInt64(3);
                var owed = status is PaymentStatus.Succeeded or PaymentStatus.Refunded && bonus > 0;
                var (expected, actual, message) = (owed, grant) switch
                {
                    (true, null) => ($"one bonus grant bonus:{paymentId:N} of {Number(bonus)}", "none", $"The package payment is {WireName.Of(status)} but its bonus was not granted."),
                    (true, _) when (TransactionKind)r.GetInt32(4) != TransactionKind.BonusGrant =>
                        (WireName.Of(TransactionKind.BonusGrant), WireName.Of((TransactionKind)r.GetInt32(4)), "The payment's bonus key was posted with another kind."),
                    (true, _) => (Number(bonus), r.IsDBNull(5) ? "no entry for the shopper's wallet" : Number(r.GetInt64(5)), "The bonus grant does not credit the shopper the bonus recorded on the payment."),
                    _ => ("no bonus grant", Id(grant), bonus > 0 ? $"The payment is {WireName.Of(status)} but a bonus was granted for it." : "The payment carries no bonus but one was granted for it."),
                };
                found.Add(ReconciliationDiscrepancy.Create(PaymentBonus, expected, actual, message, transactionId: grant, paymentId: paymentId));
            },
            cancellationToken);
    }

    /// <summary>Every bonus grant (kind BonusGrant or a <c>bonus:</c> key) is the bonus of a payment, under that payment's key.</summary>
    public static Task BonusesHavePaymentsAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken) =>
        PaymentKeyedHavePaymentsAsync(connection, transaction, found, BonusPayment, TransactionKind.BonusGrant, "bonus:", "a package payment for this bonus", "The bonus grant {0} belongs to no payment.", cancellationToken);

    /// <summary>
    /// Every transaction of <paramref name="kind"/>, or under a key starting <paramref name="keyPrefix"/>, is the one a
    /// payment names under <c>&lt;prefix&gt;&lt;payment id&gt;</c>; each one that is not is reported under <paramref name="check"/>.
    /// </summary>
    private static Task PaymentKeyedHavePaymentsAsync(
        DbConnection connection,
        DbTransaction? transaction,
        List<ReconciliationDiscrepancy> found,
        string check,
        TransactionKind kind,
        string keyPrefix,
        string expected,
        string messageFormat,
        CancellationToken cancellationToken) =>
        QueryAsync(connection, transaction, $"""
            SELECT t."Id", t."IdempotencyKey"
            FROM "ledger_transactions" t
            WHERE (t."Kind" = {(int)kind} OR t."IdempotencyKey" LIKE '{keyPrefix}%')
              AND t."Id" NOT IN (
                  SELECT keyed."Id" FROM "payments" p
                  JOIN "ledger_transactions" keyed ON keyed."IdempotencyKey" = {KeyOf(keyPrefix, "p.\"Id\"")})
            ORDER BY t."Id"
            LIMIT {MaxPerCheck}
            """,
            r => found.Add(ReconciliationDiscrepancy.Create(
                check,
                expected,
                "none",
                string.Format(CultureInfo.InvariantCulture, messageFormat, r.GetString(1)),
                transactionId: r.GetInt64(0))),
            cancellationToken);

    /// <summary>A hold has its reserve transaction; a settled or released hold exactly one resolution, of its own kind; an open hold none.</summary>
    public static Task HoldsResolvedOnceAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken) =>
        QueryAsync(connection, transaction, $"""
            SELECT h."Id", h."Status", h."ReserveTransactionId", h."ResolutionTransactionId", rv."Id", s."Id", r."Id"
            FROM "holds" h
            LEFT JOIN "ledger_transactions" rv ON rv."IdempotencyKey" = {KeyOf("hold:", "h.\"Id\"")}
            LEFT JOIN "ledger_transactions" s ON s."IdempotencyKey" = {KeyOf("hold-settle:", "h.\"Id\"")}
            LEFT JOIN "ledger_transactions" r ON r."IdempotencyKey" = {KeyOf("hold-release:", "h.\"Id\"")}
            WHERE rv."Id" IS NULL OR rv."Id" <> h."ReserveTransactionId"
               OR (s."Id" IS NOT NULL AND r."Id" IS NOT NULL)
               OR (h."Status" = {(int)HoldStatus.Open} AND (s."Id" IS NOT NULL OR r."Id" IS NOT NULL OR h."ResolutionTransactionId" IS NOT NULL))
               OR (h."Status" = {(int)HoldStatus.Settled} AND (s."Id" IS NULL OR h."ResolutionTransactionId" IS NULL OR h."ResolutionTransactionId" <> s."Id"))
               OR (h."Status" = {(int)HoldStatus.Released} AND (r."Id" IS NULL OR h."ResolutionTransactionId" IS NULL OR h."ResolutionTransactionId" <> r."Id"))
            ORDER BY h."Id"
            LIMIT {MaxPerCheck}
            """,
            r =>
            {
                var holdId = r.GetGuid(0);
                var status = (HoldStatus)r.GetInt32(1);
                long? resolution = r.IsDBNull(3) ? null : r.GetInt64(3);
                long? reserve = r.IsDBNull(4) ? null : r.GetInt64(4);
                long? settle = r.IsDBNull(5) ? null : r.GetInt64(5);
                long? release = r.IsDBNull(6) ? null : r.GetInt64(6);
                var own = status == HoldStatus.Settled ? settle : status == HoldStatus.Released ? release : null;
                var (expected, actual, message, subject) =
                    reserve is null || reserve != r.GetInt64(2) ? (Id(r.GetInt64(2)), Id(reserve), "The hold's reserve transaction is missing or not the one it names.", reserve ?? r.GetInt64(2))
                    : settle is not null && release is not null ? ("one resolution", $"settlement {settle} and release {release}", "The hold was both settled and released.", settle)
                    : status == HoldStatus.Open ? ("no resolution", Id(settle ?? release ?? resolution), "The hold is open but has a resolution.", settle ?? release ?? resolution)
                    : own is null ? ($"one {(status == HoldStatus.Settled ? "settlement" : "release")}", "none", $"The hold is {status} but has no resolution transaction.", resolution)
                    : (Id(own), Id(resolution), "The hold does not name its resolution transaction.", own);
                found.Add(ReconciliationDiscrepancy.Create(HoldResolution, expected, actual, message, transactionId: subject, holdId: holdId));
            },
            cancellationToken);

    /// <summary>
    /// Every order has the transaction it names, under its own key and kind (digital: the purchase
    /// <c>spend:&lt;buyer&gt;:&lt;nonce&gt;</c>; service: the hold <c>hold:&lt;hold id&gt;</c>; transfer:
    /// <c>transfer:&lt;buyer&gt;:&lt;nonce&gt;</c>), and that transaction debits the buyer's wallet the order's total.
    /// </summary>
    public static Task OrdersHavePurchasesAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken)
    {
        var buyer = "lower(replace(CAST(o.\"BuyerId\" AS TEXT), '-', ''))";
        var hold = "lower(replace(CAST(o.\"HoldId\" AS TEXT), '-', ''))";
        // The mismatches are found first, scanning orders in storage order (which follows the ledger's, so the joins read
        // transactions and entries nearly in sequence) and only they are sorted: ordering the scan itself by the order's
        // id (a random GUID) walked the orders and the ledger in random order, 2-4x slower at a million entries.
        return QueryAsync(connection, transaction, $"""
            WITH "wrong" AS MATERIALIZED (
            SELECT o."Id", o."Kind", o."LedgerTransactionId", t."Id" AS "TransactionId", e."Amount", o."TotalUnits", t."IdempotencyKey", "Key", t."Kind" AS "TransactionKind", "LedgerKind"
            FROM (
                SELECT o."Id", o."Kind", o."BuyerId", o."TotalUnits", o."LedgerTransactionId",
                       COALESCE(CASE o."Kind"
                           WHEN {(int)OrderKind.Digital} THEN 'spend:' || {buyer} || ':' || o."Nonce"
                           WHEN {(int)OrderKind.Service} THEN 'hold:' || {hold}
                           ELSE 'transfer:' || {buyer} || ':' || o."Nonce" END, '') AS "Key",
                       CASE o."Kind"
                           WHEN {(int)OrderKind.Digital} THEN {(int)TransactionKind.Purchase}
                           WHEN {(int)OrderKind.Service} THEN {(int)TransactionKind.Hold}
                           ELSE {(int)TransactionKind.Transfer} END AS "LedgerKind"
                FROM "orders" o
            ) o
            LEFT JOIN "ledger_transactions" t ON t."Id" = o."LedgerTransactionId"
            LEFT JOIN "accounts" a ON a."OwnerId" = o."BuyerId" AND a."Kind" = {(int)AccountKind.UserAvailable}
            LEFT JOIN "ledger_entries" e ON e."TransactionId" = t."Id" AND e."AccountId" = a."Id"
            WHERE t."Id" IS NULL OR t."IdempotencyKey" <> "Key" OR t."Kind" <> "LedgerKind"
               OR e."Amount" IS NULL OR e."Amount" <> -o."TotalUnits"
            )
            SELECT "Id", "Kind", "LedgerTransactionId", "TransactionId", "Amount", "TotalUnits", "IdempotencyKey", "Key", "TransactionKind", "LedgerKind"
            FROM "wrong"
            ORDER BY "Id"
            LIMIT {MaxPerCheck}
            """,
            r =>
            {
                var orderId = r.GetGuid(0);
                var named = r.GetInt64(2);
                var (expected, actual, message) =
                    r.IsDBNull(3) ? ($"transaction {named}", "none", "The order's purchase transaction is missing.")
                    : r.GetString(6) != r.GetString(7) ? (r.GetString(7), r.GetString(6), "The order names a transaction that is not its purchase.")
                    : r.GetInt32(8) != r.GetInt32(9) ? (((TransactionKind)r.GetInt32(9)).ToString(), ((TransactionKind)r.GetInt32(8)).ToString(), "The order's transaction has the wrong kind.")
                    : (Number(-r.GetInt64(5)), r.IsDBNull(4) ? "no entry" : Number(r.GetInt64(4)), "The order's transaction does not debit the buyer its total.");
                found.Add(ReconciliationDiscrepancy.Create(OrderPurchase, expected, actual, message, transactionId: named, orderId: orderId));
            },
            cancellationToken);
    }

    /// <summary>
    /// Money a gateway reported collected became credits: an inbox event that says so (a paid Stripe session, ClickPesa's
    /// PAYMENT RECEIVED, a paid demo card), processed to the end, whose payment is nevertheless not succeeded. Parked
    /// events are left out: they wait on the admin's Webhooks page already.
    /// </summary>
    public static Task CollectedPaymentsCreditedAsync(DbConnection connection, DbTransaction? transaction, List<ReconciliationDiscrepancy> found, CancellationToken cancellationToken)
    {
        var credited = $"{(int)PaymentStatus.Succeeded}, {(int)PaymentStatus.Refunded}";
        var collecting = string.Join(", ", CollectingEvents.Select(e => $"'{e}'"));
        var reported = new HashSet<Guid>();
        return QueryAsync(connection, transaction, $"""
            SELECT i."Id", i."Gateway", i."EventType", i."Payload", p."Id", p."Status"
            FROM "webhook_inbox" i
            JOIN "payments" p ON p."Id" = i."PaymentId"
            WHERE i."Status" = {(int)WebhookStatus.Done} AND i."EventType" IN ({collecting}) AND p."Status" NOT IN ({credited})
            ORDER BY i."Id"
            LIMIT {MaxPerCheck}
            """,
            r =>
            {
                var paymentId = r.GetGuid(4);
                // A completed Stripe session is only money when it says paid (delayed methods complete unpaid first).
                if (r.GetString(2) == StripeEvents.Completed && !IsPaidSession(r.GetString(3)) || !reported.Add(paymentId))
                {
                    return;
                }

                var status = WireName.Of((PaymentStatus)r.GetInt32(5));
                found.Add(ReconciliationDiscrepancy.Create(
                    CollectedNotCredited,
                    "succeeded, with its top-up",
                    status,
                    string.Create(CultureInfo.InvariantCulture, $"{r.GetString(1)} reported the money collected (inbox event {r.GetInt64(0)}, {r.GetString(2)}) but the payment is {status} and was not credited."),
                    paymentId: paymentId));
            },
            cancellationToken);
    }

    private static readonly string[] CollectingEvents =
    [
        StripeEvents.Completed,
        StripeEvents.AsyncSucceeded,
        ClickPesaNotification.PaymentReceived,
        DemoGateway.Succeeded,
    ];

    private static bool IsPaidSession(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return StripeSessionEvent.TryRead(document.RootElement, out var session, out _) && session.PaymentStatus is "paid" or "no_payment_required";
    }

    public static async Task<(long Entries, long Accounts, long Payments, long Holds, long Orders)> CountAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        (long, long, long, long, long) counts = default;
        await QueryAsync(connection, transaction, """
            SELECT (SELECT COUNT(*) FROM "ledger_entries"), (SELECT COUNT(*) FROM "accounts"), (SELECT COUNT(*) FROM "payments"), (SELECT COUNT(*) FROM "holds"), (SELECT COUNT(*) FROM "orders")
            """,
            r => counts = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)),
            cancellationToken);
        return counts;
    }

    private static string Number(long units) => units.ToString(CultureInfo.InvariantCulture);

    private static string Id(long? id) => id is { } value ? $"transaction {value}" : "none";

    private static async Task QueryAsync(DbConnection connection, DbTransaction? transaction, string sql, Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The SQL is built from constants and enum values only, never from input.
        command.CommandText = sql;
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }
}
