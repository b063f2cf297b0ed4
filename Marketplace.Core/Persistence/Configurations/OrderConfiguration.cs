using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Core.Persistence.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Nonce).HasMaxLength(Order.MaxNonceLength).IsRequired();
        builder.Property(o => o.IntentSha256).HasMaxLength(64).IsRequired();
        builder.Property(o => o.Receipt).IsRequired();
        builder.Property(o => o.ReceiptSignature).HasMaxLength(86).IsRequired();
        // A concurrent transition that read the same state loses at SaveChanges instead of overwriting.
        builder.Property(o => o.Status).IsConcurrencyToken();
        builder.HasOne<User>().WithMany().HasForeignKey(o => o.BuyerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(o => o.SellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(o => o.RecipientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(o => o.ProductId).OnDelete(DeleteBehavior.Restrict);
        // The nonce is the idempotency key of a signed intent: one order per user and nonce, whatever its kind.
        builder.HasIndex(o => new { o.BuyerId, o.Nonce }).IsUnique();
        builder.HasIndex(o => new { o.BuyerId, o.CreatedAt });
        builder.HasIndex(o => new { o.SellerId, o.Status });
        builder.HasIndex(o => new { o.Status, o.HoldId });
        // The wallet's history joins each line to its order by transaction.
        builder.HasIndex(o => o.LedgerTransactionId);
        builder.Ignore(o => o.Total);
        builder.Ignore(o => o.UnitPrice);
        builder.Ignore(o => o.Commission);
        builder.Ignore(o => o.BalanceAfter);
        builder.Ignore(o => o.SellerProceeds);
    }
}
