using System.Globalization;
using Marketplace.Core.Settings;

namespace Marketplace.Core.Ledger;

/// <summary>Ledger settings (<c>Ledger__…</c>).</summary>
public sealed class LedgerOptions : ISettings<LedgerOptions>
{
    public const string CheckpointIntervalSetting = "Ledger:CheckpointInterval";

    public static readonly TimeSpan DefaultCheckpointInterval = TimeSpan.FromMinutes(10);

    /// <summary>How often a checkpoint is signed when the ledger has grown (<c>Ledger__CheckpointInterval</c>, 10 minutes unless configured).</summary>
    public TimeSpan CheckpointInterval { get; init; } = DefaultCheckpointInterval;

    public static string Section => "Ledger";

    /// <summary>
    /// The UTC cron schedule of <see cref="CheckpointInterval"/>, on the clock: 00:10:00 runs at :00, :10, :20 and so on.
    /// Hence the interval divides a minute, an hour or a day evenly.
    /// </summary>
    public string CheckpointCron => Cron(CheckpointInterval) ?? throw new InvalidOperationException("The checkpoint interval was not validated.");

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (Cron(CheckpointInterval) is null)
        {
            check.Invalid(CheckpointIntervalSetting, "a time span from 00:00:01 to 1.00:00:00 that divides a minute, an hour or a day evenly, such as 00:10:00");
        }
    }

    private static string? Cron(TimeSpan interval)
    {
        if (interval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return null;
        }

        var seconds = (long)interval.TotalSeconds;
        return seconds switch
        {
            >= 1 and < 60 when 60 % seconds == 0 => $"*/{Text(seconds)} * * * * *",
            >= 60 and < 3600 when seconds % 60 == 0 && 60 % (seconds / 60) == 0 => $"*/{Text(seconds / 60)} * * * *",
            3600 => "0 * * * *",
            > 3600 and < 86400 when seconds % 3600 == 0 && 24 % (seconds / 3600) == 0 => $"0 */{Text(seconds / 3600)} * * *",
            86400 => "0 0 * * *",
            _ => null,
        };
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
