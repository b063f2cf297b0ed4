using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>The admin audit log: who did what, when and why.</summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261122001000_AuditLog")]
public sealed class AuditLog : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "audit_log",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Generated(),
                AdminId = table.Column<Guid>(nullable: false),
                AdminEmail = table.Column<string>(maxLength: 254, nullable: false),
                Action = table.Column<string>(maxLength: 64, nullable: false),
                Subject = table.Column<string>(maxLength: 100, nullable: false),
                Reason = table.Column<string>(maxLength: 1000, nullable: false),
                Details = table.Column<string>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_audit_log", x => x.Id));
        migrationBuilder.CreateIndex("IX_audit_log_Subject", "audit_log", "Subject");
        migrationBuilder.CreateIndex("IX_audit_log_CreatedAt", "audit_log", "CreatedAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("audit_log");
}
