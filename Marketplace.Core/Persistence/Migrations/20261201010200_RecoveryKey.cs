using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// The recovery key (derived in the browser from the recovery code). Recovery challenges name a public key, so
/// auth_challenges.Value grows to 128 characters in the model; SQLite does not enforce text lengths, so there is
/// no column to alter here.
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201010200_RecoveryKey")]
public sealed class RecoveryKey : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<byte[]>(name: "RecoveryPublicKey", table: "users", maxLength: 32, nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn("RecoveryPublicKey", "users");
}
