using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// Keys every instance on the database shares: the data-protection key ring (sessions, antiforgery), which was a folder
/// of files beside the database, and the receipt-signing key, which was a file there (imported on first start).
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201130000_SharedKeys")]
public sealed class SharedKeys : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "data_protection_keys",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false).Generated(),
                FriendlyName = table.Column<string>(nullable: true),
                Xml = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_data_protection_keys", x => x.Id));

        migrationBuilder.CreateTable(
            name: "server_keys",
            columns: table => new
            {
                Name = table.Column<string>(maxLength: 100, nullable: false),
                ProtectedValue = table.Column<string>(maxLength: 2000, nullable: false),
                PublicKey = table.Column<string>(maxLength: 100, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_server_keys", x => x.Name));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("server_keys");
        migrationBuilder.DropTable("data_protection_keys");
    }
}
