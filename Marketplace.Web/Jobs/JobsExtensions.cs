using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Marketplace.Core.Ledger;
using Marketplace.Core.Mail;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Core.Settings;
using Microsoft.Extensions.Options;
using SQLite;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Hangfire runs and schedules the background work; durable state lives in our own tables, so a restart loses
/// nothing (each job's sweep picks up whatever was left). The recurring jobs are listed in <see cref="JobSchedule"/>.
/// </summary>
public static class JobsExtensions
{
    /// <summary>How long a sweep waits for the previous run of the same job (any instance) before it fails.</summary>
    public const int SweepLockTimeoutSeconds = 60;

    /// <summary>
    /// How often an idle worker asks the storage for an enqueued job; Hangfire's 15 s default would leave a stored
    /// webhook waiting that long for its drain. The workers start together and poll in step, so a drain waits about
    /// half of this. A poll is two indexed reads of hangfire.db: an idle app used no more CPU at 200 ms than at 1 s.
    /// </summary>
    public static readonly TimeSpan QueuePollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Drain, two sweeps and reconciliation (or a checkpoint) at once at most; every idle worker polls the queue.</summary>
    private const int WorkerCount = 4;

    public static WebApplicationBuilder AddMarketplaceJobs(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSettings<JobScheduleOptions>();
        services.AddSingleton(sp => JobSchedule.From(sp.GetRequiredService<JobScheduleOptions>(), sp.GetRequiredService<WebhookOptions>(), sp.GetRequiredService<LedgerOptions>()));

        // Our own registrations win over AddHangfire's, which would take JobStorage.Current and JobActivator.Current:
        // process-wide statics that several apps in one process (the integration tests) would overwrite for each other.
        services.AddSingleton(sp => StorageFor(sp.GetRequiredService<DatabaseSettings>()));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(HangfireLogging.Provider(sp.GetRequiredService<ILoggerFactory>())));

        services.AddSingleton(sp =>
        {
            // Graceful shutdown: the running job is not cancelled, and the server is waited for, until the host gives up.
            var shutdown = sp.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
            return new BackgroundJobServerOptions
            {
                WorkerCount = WorkerCount,
                StopTimeout = shutdown,
                ShutdownTimeout = shutdown,
                SchedulePollingInterval = sp.GetRequiredService<JobSchedule>().HasSecondsPrecision ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(15),
            };
        });
        services.AddHangfireServer();
        services.AddSingleton<WebhookInboxTrigger>();
        services.AddSingleton<IMailOutboxTrigger, MailOutboxTrigger>();
        services.AddHostedService<JobsStartup>();
        return builder;
    }

    /// <summary>
    /// The one place the job storage is chosen: SQLite's <c>hangfire.db</c> in the data directory, beside the
    /// database; on PostgreSQL, Hangfire's tables in their own schema of the shared database, so every instance sees
    /// one queue, one set of recurring jobs and one set of distributed locks, and a recurring job runs once.
    /// </summary>
    public static JobStorage StorageFor(DatabaseSettings database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Kind switch
        {
            DatabaseKind.Sqlite => new SQLiteStorage(
                new SQLiteDbConnectionFactory(() => OpenJobDatabase(Path.Combine(database.DataDirectory, "hangfire.db"))),
                new SQLiteStorageOptions { QueuePollInterval = QueuePollInterval }),
            DatabaseKind.Postgres => PostgresStorage(database.ConnectionString),
            _ => throw new InvalidOperationException($"Database__Provider '{database.Kind}' has no job storage in this build."),
        };
    }

    private static PostgreSqlStorage PostgresStorage(string connectionString)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            QueuePollInterval = QueuePollInterval,
            // Instances starting together race to create the schema; Hangfire takes a lock for the install.
            PrepareSchemaIfNecessary = true,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    /// <summary>
    /// Opened as Hangfire.Storage.SQLite opens it, but with <c>synchronous=NORMAL</c> (the storage runs it in WAL):
    /// it holds only scheduling and history, and a job lost to a power cut is redone by the next sweep or the drain at
    /// start, so it need not wait for the disk on every write the way the money database does. That wait made each
    /// start of the app (schema, recurring jobs) a few hundred milliseconds slower.
    /// </summary>
    private static SQLiteConnection OpenJobDatabase(string path)
    {
        var connection = new SQLiteConnection(path, SQLiteOpenFlags.ReadWrite | SQLiteOpenFlags.Create | SQLiteOpenFlags.NoMutex, storeDateTimeAsTicks: true)
        {
            BusyTimeout = TimeSpan.FromSeconds(10),
        };
        connection.Execute("PRAGMA synchronous = NORMAL");
        return connection;
    }
}
