using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Core.Persistence.Configurations;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(120).IsRequired();
        builder.Property(p => p.Description).HasMaxLength(2000).IsRequired();
        builder.Property(p => p.Category).HasMaxLength(60).IsRequired();
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.SellerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.LicenceText).HasMaxLength(ProductListings.MaxLicenceLength);
        builder.Property(p => p.FileName).HasMaxLength(255);
        builder.Property(p => p.FileContentType).HasMaxLength(100);
        builder.Property(p => p.FileSha256).HasMaxLength(64);
        builder.Ignore(p => p.Price);
        builder.Ignore(p => p.File);
    }
}

internal sealed class CatalogVersionConfiguration : IEntityTypeConfiguration<CatalogVersion>
{
    public void Configure(EntityTypeBuilder<CatalogVersion> builder)
    {
        builder.ToTable("catalog_version");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
    }
}
