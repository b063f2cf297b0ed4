using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// SQLite turns an integer sum that overflows 64 bits into a floating-point number and stores it without a word.
/// These triggers refuse any balance or entry amount that is not an integer, so a balance can never become one
/// (the ledger's own bounds keep postings from getting there; this is the database's last word).
/// PostgreSQL's bigint raises on overflow by itself; there CHECK constraints hold balances and entries to the ledger's
/// own bounds, so a statement that bypasses the ledger cannot store what the ledger would refuse either.
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201020000_BalanceGuards")]
public sealed class BalanceGuards : Migration
{
    private static readonly string[] Triggers =
    [
        """
        CREATE TRIGGER "accounts_balance_is_integer_on_insert" BEFORE INSERT ON "accounts"
        WHEN typeof(NEW."Balance") <> 'integer'
        BEGIN SELECT RAISE(ABORT, 'accounts.Balance must be an integer number of minor units'); END;
        """,
        """
        CREATE TRIGGER "accounts_balance_is_integer_on_update" BEFORE UPDATE OF "Balance" ON "accounts"
        WHEN typeof(NEW."Balance") <> 'integer'
        BEGIN SELECT RAISE(ABORT, 'accounts.Balance must be an integer number of minor units'); END;
        """,
        """
        CREATE TRIGGER "ledger_entries_amounts_are_integers" BEFORE INSERT ON "ledger_entries"
        WHEN typeof(NEW."Amount") <> 'integer' OR typeof(NEW."BalanceAfter") <> 'integer'
        BEGIN SELECT RAISE(ABORT, 'ledger_entries.Amount and BalanceAfter must be integer numbers of minor units'); END;
        """,
    ];

    private static readonly (string Table, string Name, string Sql)[] Checks =
    [
        ("accounts", "CK_accounts_Balance_within_bounds", $"\"Balance\" BETWEEN {-Ledger.Account.MaxBalanceUnits} AND {Ledger.Account.MaxBalanceUnits}"),
        ("ledger_entries", "CK_ledger_entries_BalanceAfter_within_bounds", $"\"BalanceAfter\" BETWEEN {-Ledger.Account.MaxBalanceUnits} AND {Ledger.Account.MaxBalanceUnits}"),
        ("ledger_entries", "CK_ledger_entries_Amount_within_bounds", $"\"Amount\" BETWEEN {-Ledger.Posting.MaxLineUnits} AND {Ledger.Posting.MaxLineUnits}"),
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (!migrationBuilder.IsSqlite())
        {
            foreach (var (table, name, sql) in Checks)
            {
                migrationBuilder.AddCheckConstraint(name, table, sql);
            }

            return;
        }

        foreach (var trigger in Triggers)
        {
            migrationBuilder.Sql(trigger);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (!migrationBuilder.IsSqlite())
        {
            foreach (var (table, name, _) in Checks)
            {
                migrationBuilder.DropCheckConstraint(name, table);
            }

            return;
        }

        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"accounts_balance_is_integer_on_insert\";");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"accounts_balance_is_integer_on_update\";");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"ledger_entries_amounts_are_integers\";");
    }
}
