using Cronos;
using Hangfire.Common;
using Marketplace.Core;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments.Webhooks;

namespace Marketplace.Web.Jobs;

/// <summary>One recurring job: its Hangfire id, the setting its schedule comes from, and the job it runs.</summary>
public sealed record RecurringJobEntry(string Id, string Setting, string Cron, Job Job);

/// <summary>
/// The recurring jobs and their UTC cron schedules, read from settings once at start. A recurring job is one line in
/// <see cref="FromConfiguration"/>. A schedule is a standard five-field cron (minute hour day-of-month month
/// day-of-week), or six fields with seconds first, exactly as Hangfire reads it; a present but invalid one stops the
/// start naming its setting. <c>0 0 31 2 *</c> (31 February) never fires: that is how a job is switched off.
/// </summary>
public sealed class JobSchedule
{
    /// <summary>Interval settings of the scheduler before Hangfire, each replaced by the cron setting beside it.</summary>
    private static readonly (string Removed, string Replacement)[] Replaced =
    [
        ("Webhooks:SweepInterval", "Webhooks:SweepCron"),
        ("Payments:ExpirySweepInterval", "Payments:ExpiryCron"),
        ("Jobs:HoldExpiryInterval", "Jobs:HoldExpiryCron"),
        ("Jobs:SessionSweepInterval", SessionSweepJob.CronSetting),
    ];

    private static readonly char[] Separators = [' ', '\t'];

    private readonly IConfiguration _configuration;
    private readonly List<RecurringJobEntry> _jobs = [];

    private JobSchedule(IConfiguration configuration) => _configuration = configuration;

    public IReadOnlyList<RecurringJobEntry> Jobs => _jobs;

    /// <summary>Some schedule has a seconds field, so Hangfire's schedulers must look more often than every 15 s.</summary>
    public bool HasSecondsPrecision => _jobs.Exists(j => FieldCount(j.Cron) == 6);

    public static JobSchedule FromConfiguration(IConfiguration configuration, WebhookOptions webhooks, LedgerOptions ledger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentNullException.ThrowIfNull(ledger);
        foreach (var (removed, replacement) in Replaced)
        {
            if (ConfigurationValues.Text(configuration, removed) is not null)
            {
                throw new InvalidOperationException($"Configuration '{EnvironmentName(removed)}' is no longer read: set '{EnvironmentName(replacement)}', a cron expression evaluated in UTC, instead.");
            }
        }

        return new JobSchedule(configuration)
            .Add<WebhookInboxJob>("webhook-inbox", "Webhooks:SweepCron", "* * * * *", enabled: webhooks.ProcessingEnabled)
            .Add<PaymentExpiryJob>("payment-expiry", "Payments:ExpiryCron", "*/5 * * * *")
            .Add<HoldExpiryJob>("hold-expiry", "Jobs:HoldExpiryCron", "* * * * *")
            .Add<ReconciliationJob>("reconciliation", ReconciliationJob.CronSetting, "0 2 * * *")
            .Add<SessionSweepJob>("session-sweep", SessionSweepJob.CronSetting, "0 * * * *")
            .Every<LedgerCheckpointJob>("ledger-checkpoint", LedgerOptions.CheckpointIntervalSetting, ledger.CheckpointCron);
    }

    /// <summary>Runs <typeparamref name="TJob"/> on the schedule in <paramref name="setting"/>; a disabled job is still validated, and removed from Hangfire at start.</summary>
    private JobSchedule Add<TJob>(string id, string setting, string defaultCron, bool enabled = true)
        where TJob : IMarketplaceJob
    {
        var cron = Cron(setting, defaultCron);
        if (enabled)
        {
            _jobs.Add(new RecurringJobEntry(id, setting, cron, Job.FromExpression<TJob>(job => job.RunAsync(CancellationToken.None))));
        }

        return this;
    }

    /// <summary>Runs <typeparamref name="TJob"/> on a schedule derived from an interval setting (validated where it is read), not on a cron setting.</summary>
    private JobSchedule Every<TJob>(string id, string setting, string cron)
        where TJob : IMarketplaceJob
    {
        _jobs.Add(new RecurringJobEntry(id, setting, cron, Job.FromExpression<TJob>(job => job.RunAsync(CancellationToken.None))));
        return this;
    }

    private string Cron(string setting, string fallback)
    {
        if (ConfigurationValues.Text(_configuration, setting) is not { } text)
        {
            return fallback;
        }

        // Hangfire's own rule: five fields, or six with seconds first.
        var fields = FieldCount(text);
        try
        {
            if (fields is 5 or 6)
            {
                _ = CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
                return text;
            }
        }
        catch (CronFormatException)
        {
            // Reported below, naming the setting.
        }

        throw ConfigurationValues.Invalid(setting, "a cron expression evaluated in UTC, five fields (minute hour day-of-month month day-of-week) such as 0 2 * * *, or six with seconds first");
    }

    private static int FieldCount(string cron) => cron.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Length;

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
