using Marketplace.Core.Admin;
using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Persistence;

public sealed class MarketplaceDb(DbContextOptions<MarketplaceDb> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public DbSet<LedgerTreeNode> LedgerTreeNodes => Set<LedgerTreeNode>();

    public DbSet<LedgerCheckpoint> LedgerCheckpoints => Set<LedgerCheckpoint>();

    public DbSet<Hold> Holds => Set<Hold>();

    public DbSet<ReconciliationRun> ReconciliationRuns => Set<ReconciliationRun>();

    public DbSet<ReconciliationDiscrepancy> ReconciliationDiscrepancies => Set<ReconciliationDiscrepancy>();

    public DbSet<User> Users => Set<User>();

    public DbSet<AuthChallenge> AuthChallenges => Set<AuthChallenge>();

    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<EmailVerificationToken> EmailVerificationTokens => Set<EmailVerificationToken>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<CatalogVersion> CatalogVersions => Set<CatalogVersion>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<Payments.BankTransfer.BankTransferDecision> BankTransferDecisions => Set<Payments.BankTransfer.BankTransferDecision>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<WebhookInboxItem> WebhookInbox => Set<WebhookInboxItem>();

    public DbSet<Mail.MailOutboxItem> MailOutbox => Set<Mail.MailOutboxItem>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<ServerKey> ServerKeys => Set<ServerKey>();

    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();

    /// <summary>
    /// Set on a <see cref="Ledger.LedgerWriter"/>'s context: postings leave the hash chain and the Merkle tree to the
    /// group's commit, which links all of them at once.
    /// </summary>
    internal bool DefersLedgerLinks { get; set; }

    /// <summary>The writer's unit now running on this context (set only on a <see cref="Ledger.LedgerWriter"/>'s context).</summary>
    internal LedgerUnit? WriterUnit { get; set; }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MarketplaceDb).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite hands DateTime back as Unspecified without this.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
