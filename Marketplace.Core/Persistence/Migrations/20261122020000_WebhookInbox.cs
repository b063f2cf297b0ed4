using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>The webhook inbox: verified deliveries, unique per gateway event id, processed by a background job.</summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261122020000_WebhookInbox")]
public sealed class WebhookInbox : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "webhook_inbox",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Generated(),
                Gateway = table.Column<string>(maxLength: 20, nullable: false),
                EventId = table.Column<string>(maxLength: 255, nullable: false),
                EventType = table.Column<string>(maxLength: 100, nullable: false),
                Payload = table.Column<string>(nullable: false),
                Status = table.Column<int>(nullable: false),
                Attempts = table.Column<int>(nullable: false),
                NextAttemptAt = table.Column<DateTime>(nullable: false),
                LastError = table.Column<string>(maxLength: 2000, nullable: true),
                PaymentId = table.Column<Guid>(nullable: true),
                ReceivedAt = table.Column<DateTime>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
                ProcessedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_webhook_inbox", x => x.Id));
        migrationBuilder.CreateIndex("IX_webhook_inbox_Gateway_EventId", "webhook_inbox", ["Gateway", "EventId"], unique: true);
        migrationBuilder.CreateIndex("IX_webhook_inbox_Status_NextAttemptAt", "webhook_inbox", ["Status", "NextAttemptAt"]);
        migrationBuilder.CreateIndex("IX_webhook_inbox_PaymentId", "webhook_inbox", "PaymentId");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("webhook_inbox");
}
