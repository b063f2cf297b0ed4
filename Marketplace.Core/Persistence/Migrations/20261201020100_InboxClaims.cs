using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>Who claimed an inbox row: the instance and which start of it, so a restarted instance takes back its own dead claims at once.</summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201020100_InboxClaims")]
public sealed class InboxClaims : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "ClaimedBy", table: "webhook_inbox", maxLength: 100, nullable: true);
        migrationBuilder.AddColumn<Guid>(name: "ClaimBoot", table: "webhook_inbox", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("ClaimBoot", "webhook_inbox");
        migrationBuilder.DropColumn("ClaimedBy", "webhook_inbox");
    }
}
