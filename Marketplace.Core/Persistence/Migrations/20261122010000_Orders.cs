using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>Orders: executed signed intents (purchases and transfers) with their signed receipts.</summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261122010000_Orders")]
public sealed class Orders : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "orders",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Kind = table.Column<int>(nullable: false),
                Status = table.Column<int>(nullable: false),
                BuyerId = table.Column<Guid>(nullable: false),
                SellerId = table.Column<Guid>(nullable: true),
                ProductId = table.Column<Guid>(nullable: true),
                RecipientId = table.Column<Guid>(nullable: true),
                Quantity = table.Column<int>(nullable: false),
                UnitPriceUnits = table.Column<long>(nullable: false),
                TotalUnits = table.Column<long>(nullable: false),
                CommissionUnits = table.Column<long>(nullable: false),
                Nonce = table.Column<string>(maxLength: 64, nullable: false),
                IntentSha256 = table.Column<string>(maxLength: 64, nullable: false),
                Receipt = table.Column<string>(nullable: false),
                ReceiptSignature = table.Column<string>(maxLength: 86, nullable: false),
                BalanceAfterUnits = table.Column<long>(nullable: false),
                LedgerTransactionId = table.Column<long>(nullable: false),
                HoldId = table.Column<Guid>(nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
                ResolvedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_orders", x => x.Id);
                table.ForeignKey("FK_orders_users_BuyerId", x => x.BuyerId, "users", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_orders_users_SellerId", x => x.SellerId, "users", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_orders_users_RecipientId", x => x.RecipientId, "users", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_orders_products_ProductId", x => x.ProductId, "products", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_orders_BuyerId_Nonce", "orders", ["BuyerId", "Nonce"], unique: true);
        migrationBuilder.CreateIndex("IX_orders_BuyerId_CreatedAt", "orders", ["BuyerId", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_orders_SellerId_Status", "orders", ["SellerId", "Status"]);
        migrationBuilder.CreateIndex("IX_orders_Status_HoldId", "orders", ["Status", "HoldId"]);
        migrationBuilder.CreateIndex("IX_orders_ProductId", "orders", "ProductId");
        migrationBuilder.CreateIndex("IX_orders_RecipientId", "orders", "RecipientId");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("orders");
}
