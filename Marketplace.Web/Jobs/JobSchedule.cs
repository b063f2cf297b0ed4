using Cronos;
using Hangfire.Common;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Settings;

namespace Marketplace.Web.Jobs;

/// <summary>One recurring job: its Hangfire id, the setting its schedule comes from, and the job it runs.</summary>
public sealed record RecurringJobEntry(string Id, string Setting, string Cron, Job Job);

/// <summary>
/// The recurring jobs and their UTC cron schedules (<see cref="JobScheduleOptions"/>). A recurring job is one line in
/// <see cref="From"/>. <c>0 0 31 2 *</c> (31 February) never fires: that is how a job is switched off.
/// </summary>
public sealed class JobSchedule
{
    private static readonly char[] Separators = [' ', '\t'];

    private readonly List<RecurringJobEntry> _jobs = [];

    private JobSchedule()
    {
    }

    public IReadOnlyList<RecurringJobEntry> Jobs => _jobs;

    /// <summary>Some schedule has a seconds field, so Hangfire's schedulers must look more often than every 15 s.</summary>
    public bool HasSecondsPrecision => _jobs.Exists(j => FieldCount(j.Cron) == 6);

    public static JobSchedule From(JobScheduleOptions schedule, WebhookOptions webhooks, LedgerOptions ledger)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentNullException.ThrowIfNull(ledger);
        return new JobSchedule()
            .Add<WebhookInboxJob>("webhook-inbox", JobScheduleOptions.WebhookSweepSetting, schedule.WebhookSweepCron, enabled: webhooks.ProcessingEnabled)
            .Add<PaymentExpiryJob>("payment-expiry", JobScheduleOptions.PaymentExpirySetting, schedule.PaymentExpiryCron)
            .Add<HoldExpiryJob>("hold-expiry", JobScheduleOptions.HoldExpirySetting, schedule.HoldExpiryCron)
            .Add<ReconciliationJob>("reconciliation", ReconciliationJob.CronSetting, schedule.ReconciliationCron)
            .Add<SessionSweepJob>("session-sweep", SessionSweepJob.CronSetting, schedule.SessionSweepCron)
            .Add<MailOutboxJob>("mail-outbox", MailOutboxJob.CronSetting, schedule.MailOutboxCron)
            .Add<LedgerCheckpointJob>("ledger-checkpoint", LedgerOptions.CheckpointIntervalSetting, ledger.CheckpointCron);
    }

    /// <summary>Hangfire's own rule: five fields, or six with seconds first.</summary>
    public static bool IsValidCron(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var fields = FieldCount(cron);
        try
        {
            return fields is 5 or 6 && CronExpression.Parse(cron, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard) is not null;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }

    /// <summary>Runs <typeparamref name="TJob"/> on <paramref name="cron"/>; a disabled job is left out, and so removed from Hangfire at start.</summary>
    private JobSchedule Add<TJob>(string id, string setting, string cron, bool enabled = true)
        where TJob : IMarketplaceJob
    {
        if (enabled)
        {
            _jobs.Add(new RecurringJobEntry(id, setting, cron, Job.FromExpression<TJob>(job => job.RunAsync(CancellationToken.None))));
        }

        return this;
    }

    private static int FieldCount(string cron) => cron.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>
/// When the recurring jobs run: standard five-field cron expressions (minute hour day-of-month month day-of-week), or six
/// with seconds first, exactly as Hangfire reads them, in UTC. The ledger checkpoint's schedule comes from
/// <see cref="LedgerOptions.CheckpointInterval"/>.
/// </summary>
public sealed class JobScheduleOptions : ISettings<JobScheduleOptions>
{
    public const string WebhookSweepSetting = "Webhooks:SweepCron";
    public const string PaymentExpirySetting = "Payments:ExpiryCron";
    public const string HoldExpirySetting = "Jobs:HoldExpiryCron";

    public static string Section => string.Empty;

    /// <summary>Interval settings of the scheduler before Hangfire, each replaced by a cron setting.</summary>
    public static IReadOnlyList<RemovedSetting> Removed { get; } =
    [
        Replaced("Webhooks:SweepInterval", WebhookSweepSetting),
        Replaced("Payments:ExpirySweepInterval", PaymentExpirySetting),
        Replaced("Jobs:HoldExpiryInterval", HoldExpirySetting),
        Replaced("Jobs:SessionSweepInterval", SessionSweepJob.CronSetting),
    ];

    [ConfigurationKeyName(WebhookSweepSetting)]
    public string WebhookSweepCron { get; init; } = "* * * * *";

    [ConfigurationKeyName(PaymentExpirySetting)]
    public string PaymentExpiryCron { get; init; } = "*/5 * * * *";

    [ConfigurationKeyName(HoldExpirySetting)]
    public string HoldExpiryCron { get; init; } = "* * * * *";

    [ConfigurationKeyName(ReconciliationJob.CronSetting)]
    public string ReconciliationCron { get; init; } = "0 2 * * *";

    [ConfigurationKeyName(SessionSweepJob.CronSetting)]
    public string SessionSweepCron { get; init; } = "0 * * * *";

    /// <summary>Mail is sent right after the commit that queues it; the sweep sends retries whose backoff has passed.</summary>
    [ConfigurationKeyName(MailOutboxJob.CronSetting)]
    public string MailOutboxCron { get; init; } = "* * * * *";

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        // Validated even for a job that is switched off (the inbox sweep without processing).
        foreach (var (property, cron) in new[]
        {
            (nameof(WebhookSweepCron), WebhookSweepCron), (nameof(PaymentExpiryCron), PaymentExpiryCron), (nameof(HoldExpiryCron), HoldExpiryCron),
            (nameof(ReconciliationCron), ReconciliationCron), (nameof(SessionSweepCron), SessionSweepCron), (nameof(MailOutboxCron), MailOutboxCron),
        })
        {
            if (!JobSchedule.IsValidCron(cron))
            {
                check.Invalid(check.Key(property), "a cron expression evaluated in UTC, five fields (minute hour day-of-month month day-of-week) such as 0 2 * * *, or six with seconds first");
            }
        }
    }

    private static RemovedSetting Replaced(string removed, string replacement) =>
        new(removed, $"set '{SettingName.Of(replacement)}', a cron expression evaluated in UTC, instead.");
}
