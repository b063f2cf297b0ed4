using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>Reconciliation runs and what each found.</summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261122041000_Reconciliation")]
public sealed class Reconciliation : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "reconciliation_runs",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Generated(),
                Trigger = table.Column<string>(maxLength: 300, nullable: false),
                StartedAt = table.Column<DateTime>(nullable: false),
                FinishedAt = table.Column<DateTime>(nullable: false),
                DurationMs = table.Column<long>(nullable: false),
                TransactionsChecked = table.Column<long>(nullable: false),
                EntriesChecked = table.Column<long>(nullable: false),
                AccountsChecked = table.Column<long>(nullable: false),
                PaymentsChecked = table.Column<long>(nullable: false),
                HoldsChecked = table.Column<long>(nullable: false),
                OrdersChecked = table.Column<long>(nullable: false),
                DiscrepancyCount = table.Column<int>(nullable: false),
                Status = table.Column<int>(nullable: false),
                ChainHead = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_reconciliation_runs", x => x.Id));

        migrationBuilder.CreateTable(
            name: "reconciliation_discrepancies",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Generated(),
                RunId = table.Column<long>(nullable: false),
                Check = table.Column<string>(maxLength: 50, nullable: false),
                TransactionId = table.Column<long>(nullable: true),
                EntryId = table.Column<long>(nullable: true),
                AccountId = table.Column<long>(nullable: true),
                PaymentId = table.Column<Guid>(nullable: true),
                HoldId = table.Column<Guid>(nullable: true),
                OrderId = table.Column<Guid>(nullable: true),
                Expected = table.Column<string>(maxLength: 500, nullable: false),
                Found = table.Column<string>(maxLength: 500, nullable: false),
                Message = table.Column<string>(maxLength: 1000, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_reconciliation_discrepancies", x => x.Id);
                table.ForeignKey("FK_reconciliation_discrepancies_reconciliation_runs_RunId", x => x.RunId, "reconciliation_runs", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_reconciliation_discrepancies_RunId", "reconciliation_discrepancies", "RunId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("reconciliation_discrepancies");
        migrationBuilder.DropTable("reconciliation_runs");
    }
}
