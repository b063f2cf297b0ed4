using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// Orders found by their ledger transaction: the wallet page joins each history line to its order in the same query
/// (issue 16), which without this index scans the buyer's orders for every line.
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201180000_OrdersByLedgerTransaction")]
public sealed class OrdersByLedgerTransaction : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.CreateIndex("IX_orders_LedgerTransactionId", "orders", "LedgerTransactionId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropIndex("IX_orders_LedgerTransactionId", "orders");
    }
}
