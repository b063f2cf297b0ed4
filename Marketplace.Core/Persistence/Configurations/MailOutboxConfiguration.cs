using Marketplace.Core.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Core.Persistence.Configurations;

internal sealed class MailOutboxConfiguration : IEntityTypeConfiguration<MailOutboxItem>
{
    public void Configure(EntityTypeBuilder<MailOutboxItem> builder)
    {
        builder.ToTable("mail_outbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Kind).HasMaxLength(MailOutboxItem.MaxKindLength).IsRequired();
        builder.Property(m => m.About).HasMaxLength(MailOutboxItem.MaxAboutLength);
        builder.Property(m => m.ToAddress).HasMaxLength(MailOutboxItem.MaxAddressLength).IsRequired();
        builder.Property(m => m.ToName).HasMaxLength(MailOutboxItem.MaxNameLength).IsRequired();
        builder.Property(m => m.Subject).HasMaxLength(MailOutboxItem.MaxSubjectLength).IsRequired();
        builder.Property(m => m.TextBody).IsRequired();
        builder.Property(m => m.LastError).HasMaxLength(MailOutboxItem.MaxErrorLength);
        builder.Property(m => m.ClaimedBy).HasMaxLength(MailOutboxItem.MaxInstanceIdLength);
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => m.About);
    }
}
