using Marketplace.Core.Admin;
using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Mail;
using Marketplace.Core.Orders;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Core.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core;

public static class CoreServiceCollectionExtensions
{
    public static IServiceCollection AddMarketplaceCore(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);

        // Which gateways exist and where the database is must be known now; every other setting waits for the start.
        var settings = new StartupSettings(configuration, environment);
        var database = settings.Read<DatabaseOptions>().Resolve();
        DatabaseProvider.PrepareStorage(database);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSettings<MarketplaceOptions>();
        services.AddSettings<DatabaseOptions>();
        services.AddSingleton(database);
        // Pooled: a request rents a ready context instead of building options and resolving EF's services anew, which
        // was a fifth of a balance read's time (bench/README.md, issue 16). MarketplaceDb keeps no state of its own.
        services.AddDbContextPool<MarketplaceDb>(o => DatabaseProvider.Configure(o, database));

        services.AddScoped<DatabaseInitializer>();
        services.AddLedgerWriter(database);
        services.AddScoped<LedgerService>();
        services.AddScoped<HoldService>();
        services.AddScoped<ReconciliationService>();
        services.AddSettings<LedgerOptions>();
        services.AddScoped<LedgerCheckpoints>();
        services.AddScoped<LedgerProofs>();
        services.AddScoped<VerifiableStatements>();
        services.AddScoped<WalletQueries>();
        services.AddScoped<TransferRecipients>();
        services.AddScoped<StatementQueries>();
        services.AddScoped<CatalogQueries>();
        services.AddScoped<ProductListings>();
        services.AddSettings<DeliveryOptions>();
        services.AddSingleton<DeliveryFileStore>();
        services.AddScoped<DigitalDeliveries>();
        services.AddScoped<AuthService>();
        services.AddIdentity();
        services.AddSettings<CreditPackageOptions>();
        services.AddScoped<PaymentService>();
        services.AddScoped<AuditLog>();
        services.AddSettings<WebhookOptions>();
        services.AddScoped<WebhookInbox>();
        services.AddScoped<ParkedWebhooks>();
        services.AddSingleton<WebhookProcessor>();
        services.AddSettings<PaymentExpiryOptions>();
        services.AddSingleton<PaymentExpiry>();
        services.AddScoped<BalanceAdjustments>();
        services.AddScoped<UserDirectory>();
        services.AddScoped<RefundService>();
        services.AddSettings<ReceiptKeyOptions>();
        // Needs an ISecretProtector, which the host registers (the web app's data protection).
        services.AddSingleton(ReceiptKeys.Load);
        services.AddSingleton<Receipts>();
        services.AddScoped<PurchaseService>();
        services.AddScoped<SellerService>();
        services.AddScoped<OrderQueries>();
        services.AddScoped<WebhookReceiver>();
        services.AddScoped<BankTransferService>();
        services.AddScoped<BankTransferMail>();
        services.AddPaymentGateways(settings);
        return services;
    }

    /// <summary>
    /// One writer per database in the process: its own context on the same settings, one connection held open, and
    /// disposed with the host, after the requests it serves have finished.
    /// </summary>
    private static void AddLedgerWriter(this IServiceCollection services, DatabaseSettings database)
    {
        var contextOptions = new DbContextOptionsBuilder<MarketplaceDb>();
        DatabaseProvider.Configure(contextOptions, database);
        LedgerWriter.ConfigureContext(contextOptions);
        services.AddSingleton(provider => new LedgerWriter(() => new MarketplaceDb(contextOptions.Options), provider.GetService<ILogger<LedgerWriter>>()));
    }

    /// <summary>
    /// Sessions, email ownership, the admin role and recovery. Mail goes to SMTP_HOST when it is set, otherwise into
    /// &lt;data&gt;/mail as .eml files (outside Development the start logs a warning about that).
    /// </summary>
    private static void AddIdentity(this IServiceCollection services)
    {
        services.AddSettings<SessionSettings>();
        services.AddSingleton<SessionCache>();
        services.AddScoped<Sessions>();
        services.AddScoped<EmailVerifications>();
        services.AddScoped<AccountRecovery>();
        services.AddScoped<AdminRoles>();
        services.AddSettings<MailOptions>();
        services.AddSingleton<AccountMail>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<MailOptions>().UsesSmtp
            ? ActivatorUtilities.CreateInstance<SmtpMailSender>(sp)
            : ActivatorUtilities.CreateInstance<PickupDirectoryMailSender>(sp));
        services.AddScoped<MailOutbox>();
        services.AddSingleton<MailOutboxSender>();
        // The web app replaces it with one that enqueues the outbox job.
        services.TryAddSingleton<IMailOutboxTrigger, NoMailOutboxTrigger>();
    }
}
