using System.Data.Common;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Marketplace.Core.Ledger;

/// <summary>
/// The only writer of balances. Each posting is one atomic step: every debit is a conditional
/// update that refuses to take a user account below zero, so concurrent spends cannot both pass
/// a check only one of them can afford.
/// </summary>
/// <param name="writer">
/// When given, a posting asked for outside any database transaction joins the writer's next group commit instead of
/// opening a transaction of its own; inside a caller's transaction it always runs there, as part of the caller's work.
/// </param>
public sealed class LedgerService(MarketplaceDb db, TimeProvider clock, LedgerWriter? writer = null)
{
    public async Task<PostingResult> PostAsync(Posting posting, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(posting);
        posting.Validate();
        if (writer is not null && db.Database.CurrentTransaction is null)
        {
            return await writer.RunAsync((group, ct) => new LedgerService(group, clock).PostAsync(posting, ct), cancellationToken);
        }

        var contentHash = posting.ContentHash();
        await using var scope = await LedgerScope.BeginAsync(db, cancellationToken);
        // Before the row is inserted: ids then follow the order in which postings link into the chain and the tree.
        await DatabaseProvider.LockLedgerAsync(db, cancellationToken);
        var transaction = LedgerTransaction.Create(posting, contentHash, clock.GetUtcNow().UtcDateTime);
        var connection = db.Database.GetDbConnection();
        var dbTransaction = db.Database.CurrentTransaction!.GetDbTransaction();

        // The row first, claiming the key: a key already taken inserts nothing and answers from the first posting.
        // Plain commands rather than EF: this runs for every posting, inside the write lock.
        long id;
        try
        {
            if (await InsertTransactionAsync(connection, dbTransaction, transaction, cancellationToken) is not { } inserted)
            {
                await scope.RollbackAsync(cancellationToken);
                return await ReplayAsync(posting.IdempotencyKey, contentHash, cancellationToken);
            }

            id = inserted;
        }
        catch (DbException ex) when (DatabaseProvider.IsUniqueViolation(ex))
        {
            // A concurrent writer recorded the same key first (possible on PostgreSQL, whose
            // transactions do not serialise writers the way SQLite's BEGIN IMMEDIATE does).
            await scope.RollbackAsync(cancellationToken);
            return await ReplayAsync(posting.IdempotencyKey, contentHash, cancellationToken);
        }

        transaction.Recorded(id);
        // A fixed account order keeps concurrent postings from deadlocking on PostgreSQL row locks.
        foreach (var line in posting.Lines.OrderBy(l => l.AccountId))
        {
            var balanceAfter = await ApplyLineAsync(connection, dbTransaction, line, cancellationToken);
            if (balanceAfter is null)
            {
                var account = await db.Accounts.Where(a => a.Id == line.AccountId).Select(a => new { a.Balance }).SingleOrDefaultAsync(cancellationToken);
                await scope.RollbackAsync(cancellationToken);
                var (ceiling, floor) = Bounds(line.AmountUnits);
                return account is null
                    ? throw new InvalidOperationException($"Posting '{posting.IdempotencyKey}' names account {line.AccountId}, which does not exist.")
                    : account.Balance <= ceiling && account.Balance >= floor
                        ? new PostingResult.InsufficientFunds(line.AccountId)
                        : new PostingResult.LimitExceeded(line.AccountId);
            }

            transaction.AddEntry(line.AccountId, line.AmountUnits, balanceAfter.Value);
        }

        await InsertEntriesAsync(connection, dbTransaction, transaction, cancellationToken);
        if (!db.DefersLedgerLinks)
        {
            await LedgerChain.LinkAsync(db, transaction, cancellationToken);
            await LedgerTree.AppendAsync(db, [transaction], cancellationToken);
        }

        await scope.CompleteAsync(cancellationToken);
        return new PostingResult.Posted(transaction, Replayed: false);
    }

    public Task<long> AccountIdAsync(string code, CancellationToken cancellationToken = default) =>
        db.Accounts.Where(a => a.Code == code).Select(a => a.Id).SingleAsync(cancellationToken);

    public async Task<UserAccounts> UserAccountsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var accounts = await db.Accounts
            .Where(a => a.OwnerId == userId)
            .Select(a => new { a.Id, a.Kind })
            .ToListAsync(cancellationToken);
        var available = accounts.Single(a => a.Kind == AccountKind.UserAvailable).Id;
        var held = accounts.Single(a => a.Kind == AccountKind.UserHeld).Id;
        return new UserAccounts(available, held);
    }

    /// <summary>Adds the user's available and held accounts to the context; the caller's SaveChanges persists them.</summary>
    public void OpenUserAccounts(Guid userId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        db.Accounts.Add(Account.ForUser(userId, AccountKind.UserAvailable, now));
        db.Accounts.Add(Account.ForUser(userId, AccountKind.UserHeld, now));
    }

    // The bounds are written so nothing in them overflows: |delta| <= MaxLineUnits, far below the limit's headroom.
    private static (long Ceiling, long Floor) Bounds(long delta) => (Account.MaxBalanceUnits - delta, -Account.MaxBalanceUnits - delta);

    /// <summary>Inserts the transaction row unless its key is taken; its id, or null when the key was already there.</summary>
    private static async Task<long?> InsertTransactionAsync(DbConnection connection, DbTransaction transaction, LedgerTransaction row, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO "ledger_transactions" ("Kind", "IdempotencyKey", "ContentHash", "Description", "Metadata", "CreatedAt")
            VALUES (@kind, @key, @content, @description, @metadata, @created)
            ON CONFLICT ("IdempotencyKey") DO NOTHING
            RETURNING "Id"
            """);
        Add(command, "@kind", (int)row.Kind);
        Add(command, "@key", row.IdempotencyKey);
        Add(command, "@content", row.ContentHash);
        Add(command, "@description", row.Description);
        Add(command, "@metadata", (object?)row.Metadata ?? DBNull.Value);
        Add(command, "@created", row.CreatedAt);
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }

    /// <summary>
    /// One conditional update that moves the balance and returns the new one (no SELECT after it); null when the
    /// account would go below zero (and may not) or past the ledger's limit, and nothing changed.
    /// </summary>
    private static async Task<long?> ApplyLineAsync(DbConnection connection, DbTransaction transaction, PostingLine line, CancellationToken cancellationToken)
    {
        var (ceiling, floor) = Bounds(line.AmountUnits);
        await using var command = Command(connection, transaction, """
            UPDATE "accounts" SET "Balance" = "Balance" + @delta
            WHERE "Id" = @id AND ("AllowNegative" OR "Balance" + @delta >= 0) AND "Balance" <= @ceiling AND "Balance" >= @floor
            RETURNING "Balance"
            """);
        Add(command, "@delta", line.AmountUnits);
        Add(command, "@id", line.AccountId);
        Add(command, "@ceiling", ceiling);
        Add(command, "@floor", floor);
        return await command.ExecuteScalarAsync(cancellationToken) is long balance ? balance : null;
    }

    private static async Task InsertEntriesAsync(DbConnection connection, DbTransaction transaction, LedgerTransaction row, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "");
        var sql = new System.Text.StringBuilder("""INSERT INTO "ledger_entries" ("TransactionId", "AccountId", "Amount", "BalanceAfter") VALUES """);
        Add(command, "@t", row.Id);
        for (var i = 0; i < row.Entries.Count; i++)
        {
            var entry = row.Entries[i];
            var n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append("(@t, @a").Append(n).Append(", @m").Append(n).Append(", @b").Append(n).Append(')');
            Add(command, "@a" + n, entry.AccountId);
            Add(command, "@m" + n, entry.Amount);
            Add(command, "@b" + n, entry.BalanceAfter);
        }

#pragma warning disable CA2100 // Built from constants and parameter names only; every value is a parameter.
        command.CommandText = sql.ToString();
#pragma warning restore CA2100
        var written = await command.ExecuteNonQueryAsync(cancellationToken);
        if (written != row.Entries.Count)
        {
            throw new InvalidOperationException($"Ledger transaction {row.Id} wrote {written} entries, not {row.Entries.Count}.");
        }
    }

    private async Task<PostingResult> ReplayAsync(string key, string contentHash, CancellationToken cancellationToken)
    {
        var earlier = await db.LedgerTransactions.AsNoTracking().Include(t => t.Entries).SingleOrDefaultAsync(t => t.IdempotencyKey == key, cancellationToken)
            ?? throw new InvalidOperationException($"The ledger key '{key}' is taken but no transaction holds it.");
        return earlier.ContentHash == contentHash
            ? new PostingResult.Posted(earlier, Replayed: true)
            : new PostingResult.KeyConflict(earlier.IdempotencyKey);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Constant SQL; every value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

public readonly record struct UserAccounts(long AvailableId, long HeldId);
