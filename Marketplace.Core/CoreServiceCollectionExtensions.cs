using Marketplace.Core.Admin;
using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Mail;
using Marketplace.Core.Orders;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Core.Payments.ClickPesa;
using Marketplace.Core.Payments.Demo;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

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
        // Registration order is the order of the "Payment method" choices.
        if (options.DemoPayment)
        {
            services.AddSingleton<IPaymentGateway, DemoGateway>();
            services.AddSingleton<DemoWebhookKey>();
            services.AddScoped<DemoWebhooks>();
            services.AddScoped<IWebhookEventHandler, DemoWebhookHandler>();
        }

        services.AddStripe(configuration);
        services.AddClickPesa(configuration);
        services.AddBankTransfer(configuration);
        return services;
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

    /// <summary>Stripe is offered only with its keys; a present but invalid Stripe setting stops the start here.</summary>
    private static void AddStripe(this IServiceCollection services, IConfiguration configuration)
    {
        if (StripeOptions.FromConfiguration(configuration) is not { } stripe)
        {
            return;
        }

        services.AddSingleton(stripe);
        services.AddSingleton(HostedCheckoutOrigin.For(stripe.ApiBase, StripeOptions.DefaultApiBase, "https://checkout.stripe.com"));
        services.AddSingleton<StripeWebhookVerifier>();
        services.AddHttpClient<StripeClient>(http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddScoped<IPaymentGateway, StripeGateway>();
        services.AddScoped<IWebhookEventHandler, StripeWebhookHandler>();
    }

    /// <summary>ClickPesa is offered only with its client id and API key; its token is cached app-wide.</summary>
    private static void AddClickPesa(this IServiceCollection services, IConfiguration configuration)
    {
        if (ClickPesaOptions.FromConfiguration(configuration) is not { } clickPesa)
        {
            return;
        }

        services.AddSingleton(clickPesa);
        // ClickPesa does not document the host of its checkout links; its own domain and subdomains cover them.
        services.AddSingleton(HostedCheckoutOrigin.For(clickPesa.ApiBase, ClickPesaOptions.DefaultApiBase, "https://*.clickpesa.com"));
        services.AddSingleton<ClickPesaTokenCache>();
        services.AddHttpClient<ClickPesaClient>(http =>
        {
            http.BaseAddress = clickPesa.ApiBase;
            http.Timeout = TimeSpan.FromSeconds(30);
        });
        services.AddScoped<IPaymentGateway, ClickPesaGateway>();
        services.AddScoped<IWebhookEventHandler, ClickPesaWebhookHandler>();
    }

    /// <summary>Bank transfer is offered only when the bank details are configured; the admin side works either way.</summary>
    private static void AddBankTransfer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<BankTransferService>();
        if (BankTransferOptions.FromConfiguration(configuration) is not { } bank)
        {
            return;
        }

        services.AddSingleton(bank);
        services.AddScoped<BankTransferGateway>();
        services.AddScoped<IPaymentGateway>(sp => sp.GetRequiredService<BankTransferGateway>());
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
