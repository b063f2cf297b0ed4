using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>Server-side sessions: the cookie names one of these rows, and ending a session deletes it.</summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201010100_Sessions")]
public sealed class Sessions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "user_sessions",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UserId = table.Column<Guid>(nullable: false),
                TokenHash = table.Column<byte[]>(maxLength: 32, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                LastSeenAt = table.Column<DateTime>(nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: false),
                UserAgent = table.Column<string>(maxLength: 300, nullable: false),
                IpAddress = table.Column<string>(maxLength: 45, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_user_sessions", x => x.Id);
                table.ForeignKey("FK_user_sessions_users_UserId", x => x.UserId, "users", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_user_sessions_TokenHash", "user_sessions", "TokenHash", unique: true);
        migrationBuilder.CreateIndex("IX_user_sessions_UserId", "user_sessions", "UserId");
        migrationBuilder.CreateIndex("IX_user_sessions_ExpiresAt", "user_sessions", "ExpiresAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("user_sessions");
}
