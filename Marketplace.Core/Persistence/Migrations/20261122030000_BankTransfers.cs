using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>Bank transfers: the amount an admin confirmed as received, who decided and why; provider references become unique.</summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261122030000_BankTransfers")]
public sealed class BankTransfers : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<long>(name: "ReceivedMinor", table: "payments", nullable: true);
        migrationBuilder.AddColumn<Guid>(name: "DecidedById", table: "payments", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "DecidedAt", table: "payments", nullable: true);
        migrationBuilder.AddColumn<string>(name: "DecisionNote", table: "payments", maxLength: 1000, nullable: true);
        migrationBuilder.DropIndex(name: "IX_payments_Gateway_ProviderReference", table: "payments");
        migrationBuilder.CreateIndex("IX_payments_Gateway_ProviderReference", "payments", ["Gateway", "ProviderReference"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "IX_payments_Gateway_ProviderReference", table: "payments");
        migrationBuilder.CreateIndex("IX_payments_Gateway_ProviderReference", "payments", ["Gateway", "ProviderReference"]);
        migrationBuilder.DropColumn(name: "DecisionNote", table: "payments");
        migrationBuilder.DropColumn(name: "DecidedAt", table: "payments");
        migrationBuilder.DropColumn(name: "DecidedById", table: "payments");
        migrationBuilder.DropColumn(name: "ReceivedMinor", table: "payments");
    }
}
