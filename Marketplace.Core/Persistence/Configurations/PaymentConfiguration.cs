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
        builder.Property(p => p.PackageId).HasMaxLength(CreditPackageOptions.MaxIdLength);
        builder.Property(p => p.PackageName).HasMaxLength(CreditPackageOptions.MaxNameLength);
        // A concurrent completion that read the same state loses at SaveChanges instead of overwriting.
        builder.Property(p => p.Status).IsConcurrencyToken();
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.UserId);
        builder.HasIndex(p => new { p.Status, p.CreatedAt });
        // Bank references and ClickPesa order references are looked up by value and must never repeat.
        builder.HasIndex(p => new { p.Gateway, p.ProviderReference }).IsUnique();
        builder.Ignore(p => p.Amount);
        builder.Ignore(p => p.Credits);
        builder.Ignore(p => p.Bonus);
        builder.Ignore(p => p.IsPackage);
        builder.Ignore(p => p.WhatItBuys);
        builder.Ignore(p => p.IsFinal);
    }
}

internal sealed class BankTransferDecisionConfiguration : IEntityTypeConfiguration<Payments.BankTransfer.BankTransferDecision>
{
    public void Configure(EntityTypeBuilder<Payments.BankTransfer.BankTransferDecision> builder)
    {
        builder.ToTable("bank_transfer_decisions");
        // One decision per transfer: a second confirmation cannot even be written.
        builder.HasKey(d => d.PaymentId);
        builder.Property(d => d.PaymentId).ValueGeneratedNever();
        builder.Property(d => d.Note).HasMaxLength(Payments.BankTransfer.BankTransferDecision.MaxNoteLength).IsRequired();
        builder.HasOne<Payment>().WithOne().HasForeignKey<Payments.BankTransfer.BankTransferDecision>(d => d.PaymentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.DecidedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.DecidedById);
    }
}
