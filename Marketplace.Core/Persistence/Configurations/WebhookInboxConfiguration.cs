using Marketplace.Core.Payments.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Core.Persistence.Configurations;

internal sealed class WebhookInboxConfiguration : IEntityTypeConfiguration<WebhookInboxItem>
{
    public void Configure(EntityTypeBuilder<WebhookInboxItem> builder)
    {
        builder.ToTable("webhook_inbox");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Gateway).HasMaxLength(20).IsRequired();
        builder.Property(i => i.EventId).HasMaxLength(WebhookInboxItem.MaxEventIdLength).IsRequired();
        builder.Property(i => i.EventType).HasMaxLength(WebhookInboxItem.MaxEventTypeLength).IsRequired();
        builder.Property(i => i.Payload).IsRequired();
        builder.Property(i => i.LastError).HasMaxLength(WebhookInboxItem.MaxErrorLength);
        builder.Property(i => i.ClaimedBy).HasMaxLength(WebhookInboxItem.MaxInstanceIdLength);
        // The de-duplication: a redelivered event cannot be stored twice.
        builder.HasIndex(i => new { i.Gateway, i.EventId }).IsUnique();
        builder.HasIndex(i => new { i.Status, i.NextAttemptAt });
        builder.HasIndex(i => i.PaymentId);
    }
}
