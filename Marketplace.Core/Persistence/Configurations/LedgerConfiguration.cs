using Marketplace.Core.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Core.Persistence.Configurations;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("accounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Code).HasMaxLength(100).IsRequired();
        builder.HasIndex(a => a.Code).IsUnique();
        builder.Property(a => a.Currency).HasMaxLength(3).IsRequired();
        builder.HasIndex(a => a.OwnerId);
    }
}

internal sealed class LedgerTransactionConfiguration : IEntityTypeConfiguration<LedgerTransaction>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> builder)
    {
        builder.ToTable("ledger_transactions");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.IdempotencyKey).HasMaxLength(Posting.MaxKeyLength).IsRequired();
        builder.HasIndex(t => t.IdempotencyKey).IsUnique();
        builder.Property(t => t.ContentHash).HasMaxLength(64).IsRequired();
        builder.Property(t => t.Description).HasMaxLength(300).IsRequired();
        builder.Property(t => t.PreviousHash).HasMaxLength(64);
        builder.Property(t => t.Hash).HasMaxLength(64);
        // Two transactions naming the same predecessor would be a fork; the index makes that impossible.
        builder.HasIndex(t => t.PreviousHash).IsUnique();
        // One transaction per leaf; inclusion proofs look a transaction's leaf up by id, statements by this.
        builder.HasIndex(t => t.LeafIndex).IsUnique();
        builder.HasMany(t => t.Entries).WithOne(e => e.Transaction).HasForeignKey(e => e.TransactionId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(t => t.Entries).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("ledger_entries");
        builder.HasKey(e => e.Id);
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        // History pages read one account's entries newest first by id.
        builder.HasIndex(e => new { e.AccountId, e.Id });
    }
}

internal sealed class LedgerTreeNodeConfiguration : IEntityTypeConfiguration<LedgerTreeNode>
{
    public void Configure(EntityTypeBuilder<LedgerTreeNode> builder)
    {
        builder.ToTable("ledger_tree_nodes");
        builder.HasKey(n => new { n.Level, n.Position });
        builder.Property(n => n.Level).ValueGeneratedNever();
        builder.Property(n => n.Position).ValueGeneratedNever();
        builder.Property(n => n.Hash).HasMaxLength(32).IsRequired();
    }
}

internal sealed class LedgerCheckpointConfiguration : IEntityTypeConfiguration<LedgerCheckpoint>
{
    public void Configure(EntityTypeBuilder<LedgerCheckpoint> builder)
    {
        builder.ToTable("ledger_checkpoints");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        // At most one checkpoint follows each: two would be a fork of the checkpoint chain.
        builder.HasIndex(c => c.PreviousId).IsUnique();
        builder.HasOne<LedgerCheckpoint>().WithOne().HasForeignKey<LedgerCheckpoint>(c => c.PreviousId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ReconciliationRun>().WithMany().HasForeignKey(c => c.ReconciliationRunId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.RootHash).HasMaxLength(43).IsRequired();
        builder.Property(c => c.Json).IsRequired();
        builder.Property(c => c.Signature).HasMaxLength(86).IsRequired();
    }
}

internal sealed class HoldConfiguration : IEntityTypeConfiguration<Hold>
{
    public void Configure(EntityTypeBuilder<Hold> builder)
    {
        builder.ToTable("holds");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.Reference).HasMaxLength(200).IsRequired();
        builder.HasIndex(h => new { h.Status, h.ExpiresAt });
        builder.HasIndex(h => h.UserId);
    }
}
