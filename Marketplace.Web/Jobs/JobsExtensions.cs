using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Webhooks;
using Quartz;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Quartz schedules and triggers the background work; durable state lives in our own tables, so a restart
/// loses nothing (each job's sweep picks up whatever was left). Each feature adds its jobs in <see cref="AddMarketplaceJobs"/>.
/// </summary>
public static class JobsExtensions
{
    /// <summary>The app's scheduler; Quartz 4 registers a named scheduler's IScheduler as a keyed service under this name.</summary>
    public const string SchedulerName = "marketplace";

    public static IServiceCollection AddMarketplaceJobs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var webhooks = WebhookOptions.FromConfiguration(configuration);
        var expiry = PaymentExpiryOptions.FromConfiguration(configuration);
        var holdExpiryInterval = configuration.Interval(HoldExpiryJob.IntervalSetting, TimeSpan.FromMinutes(1));
        var reconciliationCron = configuration.Cron(ReconciliationJob.CronSetting, ReconciliationJob.DefaultCron);
        var sessionSweepInterval = configuration.Interval(SessionSweepJob.IntervalSetting, TimeSpan.FromHours(1));
        services.AddSingleton<WebhookInboxTrigger>();
        services.AddQuartz(SchedulerName, q =>
        {
            if (webhooks.ProcessingEnabled)
            {
                q.ScheduleEvery<WebhookInboxJob>(webhooks.SweepInterval);
                // A run at start picks up whatever a restart left pending, without waiting for the first sweep.
                q.AddTrigger(t => t.ForJob(WebhookInboxJob.Key).WithIdentity(nameof(WebhookInboxJob) + ".start").StartNow());
            }
            else
            {
                q.AddJob<WebhookInboxJob>(j => j.WithIdentity(WebhookInboxJob.Key).StoreDurably());
            }

            q.ScheduleEvery<PaymentExpiryJob>(expiry.SweepInterval);
            q.ScheduleEvery<HoldExpiryJob>(holdExpiryInterval);
            q.ScheduleCron<ReconciliationJob>(reconciliationCron);
            q.ScheduleEvery<SessionSweepJob>(sessionSweepInterval);
        });
        services.AddQuartzHostedService(o =>
        {
            // Graceful shutdown: a running job finishes before the process exits.
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
        });
        return services;
    }

    /// <summary>Registers <typeparamref name="TJob"/> durably (so it can also be triggered on demand) and runs it every <paramref name="interval"/>.</summary>
    public static JobKey ScheduleEvery<TJob>(this IQuartzBuilder quartz, TimeSpan interval)
        where TJob : IJob
    {
        var key = quartz.AddDurableJob<TJob>();
        quartz.AddTrigger(t => t
            .ForJob(key)
            .WithIdentity(key.Name + ".interval")
            .StartAt(DateTimeOffset.UtcNow.Add(interval))
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
        return key;
    }

    /// <summary>Registers <typeparamref name="TJob"/> durably and runs it on a Quartz cron schedule, evaluated in UTC.</summary>
    public static JobKey ScheduleCron<TJob>(this IQuartzBuilder quartz, string cron)
        where TJob : IJob
    {
        var key = quartz.AddDurableJob<TJob>();
        quartz.AddTrigger(t => t
            .ForJob(key)
            .WithIdentity(key.Name + ".cron")
            .WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc)));
        return key;
    }

    /// <summary>A job kept even without triggers, so it can also be triggered on demand; keyed by its type name.</summary>
    private static JobKey AddDurableJob<TJob>(this IQuartzBuilder quartz)
        where TJob : IJob
    {
        ArgumentNullException.ThrowIfNull(quartz);
        var key = new JobKey(typeof(TJob).Name);
        quartz.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably());
        return key;
    }

    /// <summary>Reads a Quartz cron expression such as <c>0 0 2 * * ?</c>; a present but invalid value stops the start naming the setting.</summary>
    public static string Cron(this IConfiguration configuration, string key, string fallback)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        // An expression that parses but never fires (30 February) would only fail later, when Quartz schedules it.
        return CronExpression.TryParse(text.Trim(), out var cron) && cron.GetNextValidTimeAfter(DateTimeOffset.UtcNow) is not null
            ? text.Trim()
            : throw new InvalidOperationException($"Configuration '{key.Replace(":", "__", StringComparison.Ordinal)}' is set but invalid: expected a Quartz cron expression such as 0 0 2 * * ? (seconds minutes hours day-of-month month day-of-week).");
    }

    /// <summary>Reads a positive interval such as <c>00:01:00</c>; a present but invalid value stops the start naming the setting.</summary>
    public static TimeSpan Interval(this IConfiguration configuration, string key, TimeSpan fallback)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"Configuration '{key.Replace(":", "__", StringComparison.Ordinal)}' is set but invalid: expected a positive time span such as 00:01:00.");
    }
}
