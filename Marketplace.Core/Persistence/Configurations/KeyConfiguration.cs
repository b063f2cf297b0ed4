using Marketplace.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Core.Persistence.Configurations;

internal sealed class ServerKeyConfiguration : IEntityTypeConfiguration<ServerKey>
{
    public void Configure(EntityTypeBuilder<ServerKey> builder)
    {
        builder.ToTable("server_keys");
        builder.HasKey(k => k.Name);
        builder.Property(k => k.Name).HasMaxLength(ServerKey.MaxNameLength);
        builder.Property(k => k.ProtectedValue).HasMaxLength(ServerKey.MaxProtectedValueLength).IsRequired();
        builder.Property(k => k.PublicKey).HasMaxLength(100).IsRequired();
    }
}

/// <summary>The shape the data-protection Entity Framework store gives its table (its <c>DataProtectionKey</c>).</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKeyRecord>
{
    public void Configure(EntityTypeBuilder<DataProtectionKeyRecord> builder)
    {
        builder.ToTable(DataProtectionKeyRecord.Table);
        builder.HasKey(k => k.Id);
    }
}
