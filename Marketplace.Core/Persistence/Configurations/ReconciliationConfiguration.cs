using Marketplace.Core.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Core.Persistence.Configurations;

internal sealed class ReconciliationRunConfiguration : IEntityTypeConfiguration<ReconciliationRun>
{
    public void Configure(EntityTypeBuilder<ReconciliationRun> builder)
    {
        builder.ToTable("reconciliation_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Trigger).HasMaxLength(300).IsRequired();
        builder.Property(r => r.ChainHead).HasMaxLength(64).IsRequired();
        builder.Ignore(r => r.Counts);
        builder.HasMany(r => r.Discrepancies).WithOne().HasForeignKey(d => d.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Discrepancies).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ReconciliationDiscrepancyConfiguration : IEntityTypeConfiguration<ReconciliationDiscrepancy>
{
    public void Configure(EntityTypeBuilder<ReconciliationDiscrepancy> builder)
    {
        builder.ToTable("reconciliation_discrepancies");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Check).HasMaxLength(50).IsRequired();
        builder.Property(d => d.Expected).HasMaxLength(500).IsRequired();
        builder.Property(d => d.Found).HasMaxLength(500).IsRequired();
        builder.Property(d => d.Message).HasMaxLength(1000).IsRequired();
        builder.Ignore(d => d.Subjects);
    }
}
