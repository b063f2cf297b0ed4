using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>The mail outbox: messages queued in the transaction of the change they report, sent later by a job with retries.</summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201190000_MailOutbox")]
public sealed class MailOutbox : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "mail_outbox",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Kind = table.Column<string>(maxLength: 40, nullable: false),
                About = table.Column<string>(maxLength: 100, nullable: true),
                ToAddress = table.Column<string>(maxLength: 320, nullable: false),
                ToName = table.Column<string>(maxLength: 200, nullable: false),
                Subject = table.Column<string>(maxLength: 500, nullable: false),
                TextBody = table.Column<string>(nullable: false),
                Status = table.Column<int>(nullable: false),
                Attempts = table.Column<int>(nullable: false),
                NextAttemptAt = table.Column<DateTime>(nullable: false),
                LastError = table.Column<string>(maxLength: 2000, nullable: true),
                ClaimedBy = table.Column<string>(maxLength: 100, nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                SentAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_mail_outbox", x => x.Id));
        migrationBuilder.CreateIndex("IX_mail_outbox_Status_NextAttemptAt", "mail_outbox", ["Status", "NextAttemptAt"]);
        migrationBuilder.CreateIndex("IX_mail_outbox_About", "mail_outbox", "About");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("mail_outbox");
}
