using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// What a digital product delivers: a licence text and/or a file stored under the data directory (its id names it
/// there; name, content type, size and SHA-256 as recorded at upload). All null for products listed before.
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201100000_DigitalDelivery")]
public sealed class DigitalDelivery : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "LicenceText", table: "products", maxLength: 10000, nullable: true);
        migrationBuilder.AddColumn<Guid>(name: "FileId", table: "products", nullable: true);
        migrationBuilder.AddColumn<string>(name: "FileName", table: "products", maxLength: 255, nullable: true);
        migrationBuilder.AddColumn<string>(name: "FileContentType", table: "products", maxLength: 100, nullable: true);
        migrationBuilder.AddColumn<long>(name: "FileSizeBytes", table: "products", nullable: true);
        migrationBuilder.AddColumn<string>(name: "FileSha256", table: "products", maxLength: 64, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var column in new[] { "FileSha256", "FileSizeBytes", "FileContentType", "FileName", "FileId", "LicenceText" })
        {
            migrationBuilder.Sql($"ALTER TABLE \"products\" DROP COLUMN \"{column}\"");
        }
    }
}
