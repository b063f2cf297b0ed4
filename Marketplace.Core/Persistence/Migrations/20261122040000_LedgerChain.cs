using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// The ledger's hash chain. Hashes cannot be computed in SQL, so existing rows start without one and
/// DatabaseInitializer back-fills them in id order on the next start; the unique index on
/// PreviousHash allows many NULLs but never two transactions after the same one.
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261122040000_LedgerChain")]
public sealed class LedgerChain : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "PreviousHash", table: "ledger_transactions", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<string>(name: "Hash", table: "ledger_transactions", maxLength: 64, nullable: true);
        migrationBuilder.CreateIndex("IX_ledger_transactions_PreviousHash", "ledger_transactions", "PreviousHash", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_ledger_transactions_PreviousHash", "ledger_transactions");
        migrationBuilder.DropColumn("Hash", "ledger_transactions");
        migrationBuilder.DropColumn("PreviousHash", "ledger_transactions");
    }
}
