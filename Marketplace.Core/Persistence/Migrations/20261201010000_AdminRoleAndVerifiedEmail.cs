using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// The admin role moves from configuration into the users table, and email ownership is recorded. Accounts that
/// existed before start unverified and without the role: nothing ever proved they own their address.
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201010000_AdminRoleAndVerifiedEmail")]
public sealed class AdminRoleAndVerifiedEmail : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>(name: "IsAdmin", table: "users", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<DateTime>(name: "EmailVerifiedAt", table: "users", nullable: true);

        migrationBuilder.CreateTable(
            name: "email_verification_tokens",
            columns: table => new
            {
                TokenHash = table.Column<byte[]>(maxLength: 32, nullable: false),
                UserId = table.Column<Guid>(nullable: false),
                Email = table.Column<string>(maxLength: 254, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: false),
                UsedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_email_verification_tokens", x => x.TokenHash);
                table.ForeignKey("FK_email_verification_tokens_users_UserId", x => x.UserId, "users", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_email_verification_tokens_UserId", "email_verification_tokens", "UserId");
        migrationBuilder.CreateIndex("IX_email_verification_tokens_ExpiresAt", "email_verification_tokens", "ExpiresAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("email_verification_tokens");
        migrationBuilder.DropColumn("EmailVerifiedAt", "users");
        migrationBuilder.DropColumn("IsAdmin", "users");
    }
}
