using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// The model let a challenge value grow to 128 characters after the Initial migration made the column 64. SQLite does
/// not enforce a text column's length, so only PostgreSQL's column changes (SchemaMatchesModel found the difference).
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201120000_ChallengeValueLength")]
public sealed class ChallengeValueLength : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (!migrationBuilder.IsSqlite())
        {
            migrationBuilder.AlterColumn<string>(name: "Value", table: "auth_challenges", maxLength: 128, nullable: false, oldMaxLength: 64, oldNullable: false);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (!migrationBuilder.IsSqlite())
        {
            migrationBuilder.AlterColumn<string>(name: "Value", table: "auth_challenges", maxLength: 64, nullable: false, oldMaxLength: 128, oldNullable: false);
        }
    }
}
