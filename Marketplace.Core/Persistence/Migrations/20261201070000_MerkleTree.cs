using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// The ledger's Merkle tree and its signed checkpoints. Existing transactions start without a leaf; DatabaseInitializer
/// places them in id order on the next start, after the chain back-fill. Checkpoints are append-only: triggers refuse
/// to change or delete one (on PostgreSQL through one trigger function).
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201070000_MerkleTree")]
public sealed class MerkleTree : Migration
{
    private static readonly string[] Triggers =
    [
        """
        CREATE TRIGGER "ledger_checkpoints_are_append_only_on_update" BEFORE UPDATE ON "ledger_checkpoints"
        BEGIN SELECT RAISE(ABORT, 'ledger checkpoints are append-only'); END;
        """,
        """
        CREATE TRIGGER "ledger_checkpoints_are_append_only_on_delete" BEFORE DELETE ON "ledger_checkpoints"
        BEGIN SELECT RAISE(ABORT, 'ledger checkpoints are append-only'); END;
        """,
    ];

    private static readonly string[] PostgresTriggers =
    [
        """
        CREATE FUNCTION "ledger_checkpoints_are_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'ledger checkpoints are append-only'; END;
        $$;
        """,
        """
        CREATE TRIGGER "ledger_checkpoints_are_append_only" BEFORE UPDATE OR DELETE ON "ledger_checkpoints"
        FOR EACH ROW EXECUTE FUNCTION "ledger_checkpoints_are_append_only"();
        """,
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<long>(name: "LeafIndex", table: "ledger_transactions", nullable: true);
        migrationBuilder.CreateIndex("IX_ledger_transactions_LeafIndex", "ledger_transactions", "LeafIndex", unique: true);

        migrationBuilder.CreateTable(
            name: "ledger_tree_nodes",
            columns: table => new
            {
                Level = table.Column<int>(nullable: false),
                Position = table.Column<long>(nullable: false),
                Hash = table.Column<byte[]>(maxLength: 32, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ledger_tree_nodes", x => new { x.Level, x.Position }));

        migrationBuilder.CreateTable(
            name: "ledger_checkpoints",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false),
                PreviousId = table.Column<long>(nullable: true),
                TreeSize = table.Column<long>(nullable: false),
                RootHash = table.Column<string>(maxLength: 43, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                ReconciliationRunId = table.Column<long>(nullable: true),
                Discrepancies = table.Column<int>(nullable: true),
                Json = table.Column<string>(nullable: false),
                Signature = table.Column<string>(maxLength: 86, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ledger_checkpoints", x => x.Id);
                table.ForeignKey("FK_ledger_checkpoints_ledger_checkpoints_PreviousId", x => x.PreviousId, "ledger_checkpoints", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_ledger_checkpoints_reconciliation_runs_ReconciliationRunId", x => x.ReconciliationRunId, "reconciliation_runs", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_ledger_checkpoints_PreviousId", "ledger_checkpoints", "PreviousId", unique: true);
        migrationBuilder.CreateIndex("IX_ledger_checkpoints_ReconciliationRunId", "ledger_checkpoints", "ReconciliationRunId");

        foreach (var trigger in migrationBuilder.IsSqlite() ? Triggers : PostgresTriggers)
        {
            migrationBuilder.Sql(trigger);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (migrationBuilder.IsSqlite())
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"ledger_checkpoints_are_append_only_on_update\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"ledger_checkpoints_are_append_only_on_delete\";");
        }
        else
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"ledger_checkpoints_are_append_only\" ON \"ledger_checkpoints\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS \"ledger_checkpoints_are_append_only\"();");
        }

        migrationBuilder.DropTable("ledger_checkpoints");
        migrationBuilder.DropTable("ledger_tree_nodes");
        migrationBuilder.DropIndex("IX_ledger_transactions_LeafIndex", "ledger_transactions");
        migrationBuilder.DropColumn("LeafIndex", "ledger_transactions");
    }
}
