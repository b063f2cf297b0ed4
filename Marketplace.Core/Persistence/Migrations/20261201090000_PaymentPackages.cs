using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// A payment for a top-up package keeps the package's id, name and bonus as they were when it was created; all null
/// for a custom amount, which every payment before this migration was.
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201090000_PaymentPackages")]
public sealed class PaymentPackages : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "PackageId", table: "payments", maxLength: 40, nullable: true);
        migrationBuilder.AddColumn<string>(name: "PackageName", table: "payments", maxLength: 40, nullable: true);
        migrationBuilder.AddColumn<int>(name: "BonusBasisPoints", table: "payments", nullable: true);
        migrationBuilder.AddColumn<long>(name: "BonusUnits", table: "payments", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var column in new[] { "BonusUnits", "BonusBasisPoints", "PackageName", "PackageId" })
        {
            migrationBuilder.Sql($"ALTER TABLE \"payments\" DROP COLUMN \"{column}\"");
        }
    }
}
