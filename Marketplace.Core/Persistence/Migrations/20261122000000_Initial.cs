using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>Ledger, identity, catalog and payments. Written by hand; SchemaMatchesModel tests keep it honest.</summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "users",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Email = table.Column<string>(maxLength: 254, nullable: false),
                DisplayName = table.Column<string>(maxLength: 80, nullable: false),
                PublicKey = table.Column<byte[]>(maxLength: 32, nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_users", x => x.Id));
        migrationBuilder.CreateIndex("IX_users_Email", "users", "Email", unique: true);

        migrationBuilder.CreateTable(
            name: "auth_challenges",
            columns: table => new
            {
                Value = table.Column<string>(maxLength: 64, nullable: false),
                Purpose = table.Column<int>(nullable: false),
                Email = table.Column<string>(maxLength: 254, nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: false),
                UsedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_auth_challenges", x => x.Value));
        migrationBuilder.CreateIndex("IX_auth_challenges_ExpiresAt", "auth_challenges", "ExpiresAt");

        migrationBuilder.CreateTable(
            name: "accounts",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Generated(),
                Code = table.Column<string>(maxLength: 100, nullable: false),
                Kind = table.Column<int>(nullable: false),
                OwnerId = table.Column<Guid>(nullable: true),
                Currency = table.Column<string>(maxLength: 3, nullable: false),
                Balance = table.Column<long>(nullable: false),
                AllowNegative = table.Column<bool>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_accounts", x => x.Id));
        migrationBuilder.CreateIndex("IX_accounts_Code", "accounts", "Code", unique: true);
        migrationBuilder.CreateIndex("IX_accounts_OwnerId", "accounts", "OwnerId");

        migrationBuilder.CreateTable(
            name: "ledger_transactions",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Generated(),
                Kind = table.Column<int>(nullable: false),
                IdempotencyKey = table.Column<string>(maxLength: 200, nullable: false),
                ContentHash = table.Column<string>(maxLength: 64, nullable: false),
                Description = table.Column<string>(maxLength: 300, nullable: false),
                Metadata = table.Column<string>(nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ledger_transactions", x => x.Id));
        migrationBuilder.CreateIndex("IX_ledger_transactions_IdempotencyKey", "ledger_transactions", "IdempotencyKey", unique: true);

        migrationBuilder.CreateTable(
            name: "ledger_entries",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Generated(),
                TransactionId = table.Column<long>(nullable: false),
                AccountId = table.Column<long>(nullable: false),
                Amount = table.Column<long>(nullable: false),
                BalanceAfter = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ledger_entries", x => x.Id);
                table.ForeignKey("FK_ledger_entries_accounts_AccountId", x => x.AccountId, "accounts", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_ledger_entries_ledger_transactions_TransactionId", x => x.TransactionId, "ledger_transactions", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_ledger_entries_AccountId_Id", "ledger_entries", ["AccountId", "Id"]);
        migrationBuilder.CreateIndex("IX_ledger_entries_TransactionId", "ledger_entries", "TransactionId");

        migrationBuilder.CreateTable(
            name: "holds",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UserId = table.Column<Guid>(nullable: false),
                AmountUnits = table.Column<long>(nullable: false),
                SettledUnits = table.Column<long>(nullable: false),
                Status = table.Column<int>(nullable: false),
                Reference = table.Column<string>(maxLength: 200, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: false),
                ResolvedAt = table.Column<DateTime>(nullable: true),
                ReserveTransactionId = table.Column<long>(nullable: false),
                ResolutionTransactionId = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_holds", x => x.Id));
        migrationBuilder.CreateIndex("IX_holds_Status_ExpiresAt", "holds", ["Status", "ExpiresAt"]);
        migrationBuilder.CreateIndex("IX_holds_UserId", "holds", "UserId");

        migrationBuilder.CreateTable(
            name: "products",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                SellerId = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 120, nullable: false),
                Description = table.Column<string>(maxLength: 2000, nullable: false),
                Category = table.Column<string>(maxLength: 60, nullable: false),
                Kind = table.Column<int>(nullable: false),
                PriceUnits = table.Column<long>(nullable: false),
                IsAvailable = table.Column<bool>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_products", x => x.Id);
                table.ForeignKey("FK_products_users_SellerId", x => x.SellerId, "users", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_products_SellerId", "products", "SellerId");

        migrationBuilder.CreateTable(
            name: "payments",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UserId = table.Column<Guid>(nullable: false),
                Gateway = table.Column<string>(maxLength: 20, nullable: false),
                AmountMinor = table.Column<long>(nullable: false),
                Currency = table.Column<string>(maxLength: 3, nullable: false),
                CreditsUnits = table.Column<long>(nullable: false),
                Status = table.Column<int>(nullable: false),
                ProviderReference = table.Column<string>(maxLength: 255, nullable: true),
                FailureReason = table.Column<string>(maxLength: 500, nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
                CompletedAt = table.Column<DateTime>(nullable: true),
                LedgerTransactionId = table.Column<long>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_payments", x => x.Id);
                table.ForeignKey("FK_payments_users_UserId", x => x.UserId, "users", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_payments_UserId", "payments", "UserId");
        migrationBuilder.CreateIndex("IX_payments_Status_CreatedAt", "payments", ["Status", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_payments_Gateway_ProviderReference", "payments", ["Gateway", "ProviderReference"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "payments", "products", "holds", "ledger_entries", "ledger_transactions", "accounts", "auth_challenges", "users" })
        {
            migrationBuilder.DropTable(table);
        }
    }
}
