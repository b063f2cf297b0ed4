using Marketplace.Core.Settings;

namespace Marketplace.Core.Payments.Webhooks;

/// <summary>How the inbox job retries: exponential backoff from <see cref="RetryBaseDelay"/>, capped, then a dead letter (<c>Webhooks__…</c>).</summary>
public sealed class WebhookOptions : ISettings<WebhookOptions>
{
    public static string Section => "Webhooks";

    /// <summary>Claims of one row before it becomes a dead letter (<c>Webhooks:MaxAttempts</c>).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The wait after the first failure; doubles after each further one (<c>Webhooks:RetryBaseDelay</c>).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How long a claimed row belongs to the run that claimed it; after that another run may take it over.</summary>
    public TimeSpan ProcessingLease { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>False stores webhooks but leaves them pending (an operator's switch; tests use it to stop before processing).</summary>
    public bool ProcessingEnabled { get; init; } = true;

    /// <summary>
    /// Names this app instance in its claims (<c>Webhooks:InstanceId</c>). On start an instance takes back at once the
    /// rows an earlier start of itself claimed and died with, so instances running at the same time on one database
    /// must have different ids. The default is unique to this start of the app (<see cref="NewInstanceId"/>): safe for any
    /// number of instances on one machine, but a restarted process is a new instance whose dead predecessor's rows wait
    /// out <see cref="ProcessingLease"/>. A stable id per instance (<c>app1</c>, <c>app2</c>) gets them back at once.
    /// </summary>
    public string InstanceId { get; init; } = NewInstanceId();

    /// <summary>
    /// Machine name, process id and a random tag: unique to one start of one app, even for two apps in one process (the
    /// tests) or one pid in two containers.
    /// </summary>
    public static string NewInstanceId() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{WebhookInboxItem.Truncate(Environment.MachineName, 64)}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.WholeNumber(nameof(MaxAttempts), MaxAttempts, 1, 100);
        check.PositiveTimeSpan(nameof(RetryBaseDelay), RetryBaseDelay);
        check.PositiveTimeSpan(nameof(RetryMaxDelay), RetryMaxDelay);
        check.PositiveTimeSpan(nameof(ProcessingLease), ProcessingLease);
        if (InstanceId.Length > WebhookInboxItem.MaxInstanceIdLength)
        {
            check.Invalid(check.Key(nameof(InstanceId)), $"a name of at most {WebhookInboxItem.MaxInstanceIdLength} characters");
        }
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt: base × 2^(attempts−1), at most <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan BackoffAfter(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = RetryBaseDelay.Ticks * (1L << exponent);
        return ticks <= 0 || ticks > RetryMaxDelay.Ticks || ticks / (1L << exponent) != RetryBaseDelay.Ticks ? RetryMaxDelay : TimeSpan.FromTicks(ticks);
    }
}
