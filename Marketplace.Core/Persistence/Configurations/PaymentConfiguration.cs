using Marketplace.Core.Identity;
using Marketplace.Core.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Core.Persistence.Configurations;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("payments");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Gateway).HasMaxLength(20).IsRequired();
        builder.Property(p => p.Currency).HasMaxLength(3).IsRequired();
        builder.Property(p => p.ProviderReference).HasMaxLength(255);
        builder.Property(p => p.FailureReason).HasMaxLength(500);
        builder.Property(p => p.DecisionNote).HasMaxLength(1000);
        // A concurrent completion that read the same state loses at SaveChanges instead of overwriting.
        builder.Property(p => p.Status).IsConcurrencyToken();
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.UserId);
        builder.HasIndex(p => new { p.Status, p.CreatedAt });
        // Bank references and ClickPesa order references are looked up by value and must never repeat.
        builder.HasIndex(p => new { p.Gateway, p.ProviderReference }).IsUnique();
        builder.Ignore(p => p.Amount);
        builder.Ignore(p => p.Credits);
        builder.Ignore(p => p.Received);
        builder.Ignore(p => p.IsFinal);
    }
}
