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
using Microsoft.Data.Sqlite;
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

        var options = MarketplaceOptions.FromConfiguration(configuration, environment.IsDevelopment());
        var database = ReadDatabaseSettings(configuration, environment.ContentRootPath);
        DatabaseProvider.PrepareStorage(database);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(database);
        services.AddDbContext<MarketplaceDb>(o => DatabaseProvider.Configure(o, database));

        services.AddScoped<DatabaseInitializer>();
        services.AddLedgerWriter(database);
        services.AddScoped<LedgerService>();
        services.AddScoped<HoldService>();
        services.AddScoped<ReconciliationService>();
        services.AddSingleton(LedgerOptions.FromConfiguration(configuration));
        services.AddScoped<LedgerCheckpoints>();
        services.AddScoped<LedgerProofs>();
        services.AddScoped<VerifiableStatements>();
        services.AddScoped<WalletQueries>();
        services.AddScoped<StatementQueries>();
        services.AddScoped<CatalogQueries>();
        services.AddScoped<ProductListings>();
        services.AddScoped<AuthService>();
        services.AddIdentity(configuration, environment, database);
        services.AddSingleton(CreditPackageOptions.FromConfiguration(configuration, options));
        services.AddScoped<PaymentService>();
        services.AddScoped<AuditLog>();
        services.AddSingleton(WebhookOptions.FromConfiguration(configuration));
        services.AddScoped<WebhookInbox>();
        services.AddScoped<ParkedWebhooks>();
        services.AddSingleton<WebhookProcessor>();
        services.AddSingleton(PaymentExpiryOptions.FromConfiguration(configuration));
        services.AddSingleton<PaymentExpiry>();
        services.AddScoped<BalanceAdjustments>();
        services.AddScoped<UserDirectory>();
        services.AddScoped<RefundService>();
        services.AddSingleton(_ => ReceiptSigner.LoadOrCreate(ReceiptSigner.DefaultKeyFile(database.DataDirectory)));
        services.AddSingleton<Receipts>();
        services.AddScoped<PurchaseService>();
        services.AddScoped<SellerService>();
        services.AddScoped<OrderQueries>();
        services.AddScoped<WebhookReceiver>();
        services.AddScoped<BankTransferService>();
        services.AddPaymentGateways(configuration, options);
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
        services.AddSingleton(provider => new LedgerWriter(() => new MarketplaceDb(contextOptions.Options), provider.GetService<ILogger<LedgerWriter>>()));
    }

    /// <summary>
    /// Sessions, email ownership, the admin role and recovery. Mail goes to SMTP_HOST when it is set, otherwise into
    /// &lt;data&gt;/mail as .eml files (outside Development the start logs a warning about that).
    /// </summary>
    private static void AddIdentity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, DatabaseSettings database)
    {
        services.AddSingleton(SessionSettings.FromConfiguration(configuration));
        services.AddSingleton<SessionCache>();
        services.AddScoped<Sessions>();
        services.AddScoped<EmailVerifications>();
        services.AddScoped<AccountRecovery>();
        services.AddScoped<AdminRoles>();
        var mail = MailOptions.FromConfiguration(configuration, database.DataDirectory);
        services.AddSingleton(mail);
        services.AddSingleton<AccountMail>();
        if (mail.UsesSmtp)
        {
            services.AddSingleton<IMailSender, SmtpMailSender>();
        }
        else
        {
            services.AddSingleton<IMailSender, PickupDirectoryMailSender>();
        }
    }

    /// <summary>
    /// SQLite at data/marketplace.db under the content root unless ConnectionStrings:Marketplace says
    /// otherwise; key files live beside the database (Storage:DataDirectory overrides).
    /// </summary>
    public static DatabaseSettings ReadDatabaseSettings(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var providerText = configuration["Database:Provider"];
        var kind = string.IsNullOrWhiteSpace(providerText)
            ? DatabaseKind.Sqlite
            : Enum.TryParse<DatabaseKind>(providerText, ignoreCase: true, out var parsed) ? parsed
            : throw new InvalidOperationException("Configuration 'Database__Provider' is set but invalid: expected Sqlite or Postgres.");
        var connectionString = configuration.GetConnectionString("Marketplace");
        var defaultFolder = Path.Combine(contentRoot, "data");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (kind != DatabaseKind.Sqlite)
            {
                throw new InvalidOperationException("Configuration 'ConnectionStrings__Marketplace' is required for PostgreSQL.");
            }

            connectionString = $"Data Source={Path.Combine(defaultFolder, "marketplace.db")}";
        }

        var dataDirectory = configuration["Storage:DataDirectory"];
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            dataDirectory = kind == DatabaseKind.Sqlite
                ? Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource, contentRoot)) ?? defaultFolder
                : defaultFolder;
        }

        return new DatabaseSettings(kind, connectionString, Path.GetFullPath(dataDirectory, contentRoot));
    }
}
