using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// Bank-only columns leave payments: an admin's decision on a transfer (what arrived, who, when, the note) lives in
/// bank_transfer_decisions, one row per decided transfer. Existing decisions are copied before the columns go.
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201050000_BankTransferDecisions")]
public sealed class BankTransferDecisions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "bank_transfer_decisions",
            columns: table => new
            {
                PaymentId = table.Column<Guid>(nullable: false),
                ReceivedMinor = table.Column<long>(nullable: true),
                DecidedById = table.Column<Guid>(nullable: false),
                DecidedAt = table.Column<DateTime>(nullable: false),
                Note = table.Column<string>(maxLength: 1000, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_bank_transfer_decisions", x => x.PaymentId);
                table.ForeignKey("FK_bank_transfer_decisions_payments_PaymentId", x => x.PaymentId, "payments", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_bank_transfer_decisions_users_DecidedById", x => x.DecidedById, "users", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_bank_transfer_decisions_DecidedById", "bank_transfer_decisions", "DecidedById");
        migrationBuilder.Sql("""
            INSERT INTO "bank_transfer_decisions" ("PaymentId", "ReceivedMinor", "DecidedById", "DecidedAt", "Note")
            SELECT "Id", "ReceivedMinor", "DecidedById", "DecidedAt", COALESCE("DecisionNote", '')
            FROM "payments"
            WHERE "Gateway" = 'bank' AND "DecidedById" IS NOT NULL AND "DecidedAt" IS NOT NULL
            """);
        // EF's SQLite provider rebuilds a table to drop a column only from a model snapshot, which hand-written
        // migrations do not have; SQLite (3.35+) and PostgreSQL both drop an unindexed column with plain SQL.
        foreach (var column in new[] { "DecisionNote", "DecidedAt", "DecidedById", "ReceivedMinor" })
        {
            migrationBuilder.Sql($"ALTER TABLE \"payments\" DROP COLUMN \"{column}\"");
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<long>(name: "ReceivedMinor", table: "payments", nullable: true);
        migrationBuilder.AddColumn<Guid>(name: "DecidedById", table: "payments", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "DecidedAt", table: "payments", nullable: true);
        migrationBuilder.AddColumn<string>(name: "DecisionNote", table: "payments", maxLength: 1000, nullable: true);
        migrationBuilder.Sql("""
            UPDATE "payments" SET
                "ReceivedMinor" = (SELECT d."ReceivedMinor" FROM "bank_transfer_decisions" d WHERE d."PaymentId" = "payments"."Id"),
                "DecidedById" = (SELECT d."DecidedById" FROM "bank_transfer_decisions" d WHERE d."PaymentId" = "payments"."Id"),
                "DecidedAt" = (SELECT d."DecidedAt" FROM "bank_transfer_decisions" d WHERE d."PaymentId" = "payments"."Id"),
                "DecisionNote" = (SELECT d."Note" FROM "bank_transfer_decisions" d WHERE d."PaymentId" = "payments"."Id")
            WHERE "Id" IN (SELECT "PaymentId" FROM "bank_transfer_decisions")
            """);
        migrationBuilder.DropTable("bank_transfer_decisions");
    }
}
