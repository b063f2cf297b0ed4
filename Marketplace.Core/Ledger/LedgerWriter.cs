using System.Threading.Channels;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Core.Ledger;

/// <summary>
/// The process's one writer of a database: units of work (a posting, or a whole purchase with its order and receipt)
/// queue here and are committed in groups, many units in one database transaction with a savepoint around each, so the
/// whole group shares one commit and one fsync (<c>synchronous=FULL</c>) instead of paying one each. A unit that fails
/// (insufficient funds, a reused key, even an exception) rolls back its own savepoint and gets its own answer; the
/// others commit. Every caller hears back only after the group's commit has returned, so nothing is acknowledged
/// before it is durable. The hash chain and the Merkle tree take the group's transactions once, at its end.
/// <para>
/// Correctness does not rest on there being one writer: every debit is still a conditional update, and on SQLite the
/// group holds the write lock (BEGIN IMMEDIATE) like any other transaction, so other writers (another process, a
/// caller's own transaction) interleave safely between groups. On PostgreSQL each instance has its own writer.
/// </para>
/// </summary>
public sealed class LedgerWriter : IAsyncDisposable
{
    /// <summary>The most units one group takes; more wait for the next group.</summary>
    public const int MaxGroupSize = 256;

    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<MarketplaceDb> _open;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _waiting;
    private long _groups;
    private long _units;
    private long _unitTicks;
    private long _unitCpuNanoseconds;
    private long _unitCpuGroups;
    private long _linkTicks;
    private long _commitTicks;

    /// <param name="open">
    /// A new context on the database, its options passed through <see cref="ConfigureContext"/>; the writer keeps one
    /// open for as long as it runs.
    /// </param>
    public LedgerWriter(Func<MarketplaceDb> open, ILogger<LedgerWriter>? logger = null)
    {
        _open = open ?? throw new ArgumentNullException(nameof(open));
        _logger = logger ?? NullLogger<LedgerWriter>.Instance;
        _loop = Task.Run(RunLoopAsync);
    }

    /// <summary>
    /// What the writer's context needs beyond the database's settings: the interceptor that tells a unit it has written
    /// (<see cref="LedgerUnit"/>). Only the writer's context carries it; requests' contexts pay nothing for it.
    /// </summary>
    public static DbContextOptionsBuilder<MarketplaceDb> ConfigureContext(DbContextOptionsBuilder<MarketplaceDb> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddInterceptors(LedgerUnit.WriteInterceptor.Instance);
    }

    /// <summary>Groups committed so far (each one transaction and one fsync).</summary>
    public long GroupsCommitted => Interlocked.Read(ref _groups);

    /// <summary>Units committed so far, refused ones included: each got its answer from a committed group.</summary>
    public long UnitsCommitted => Interlocked.Read(ref _units);

    /// <summary>Units queued and not yet taken into a group (tests use it to know a group will take them together).</summary>
    internal int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Where the writer's time went so far (stopwatch spans, for the bench's profile).</summary>
    public LedgerWriterTimings Timings => new(
        GroupsCommitted,
        UnitsCommitted,
        TimeSpan.FromSeconds((double)Interlocked.Read(ref _unitTicks) / System.Diagnostics.Stopwatch.Frequency),
        TimeSpan.FromSeconds((double)Interlocked.Read(ref _linkTicks) / System.Diagnostics.Stopwatch.Frequency),
        TimeSpan.FromSeconds((double)Interlocked.Read(ref _commitTicks) / System.Diagnostics.Stopwatch.Frequency),
        TimeSpan.FromTicks(Interlocked.Read(ref _unitCpuNanoseconds) / 100),
        Interlocked.Read(ref _unitCpuGroups));

    /// <summary>
    /// Runs <paramref name="work"/> on the writer's context inside the next group's transaction and answers once that
    /// group has committed. The work must use only the context it is given (not the caller's), may roll back what it
    /// did through a <see cref="LedgerScope"/> (which rolls back to the unit's savepoint while the unit has written
    /// nothing, and takes one of its own after), writes through plain commands only inside such a scope, and must not
    /// commit or begin transactions.
    /// An exception it throws rolls back everything it wrote and reaches the caller; so does a failure of the commit,
    /// in which case nothing of the group was written.
    /// </summary>
    public Task<T> RunAsync<T>(Func<MarketplaceDb, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var unit = new Unit<T>(work, cancellationToken);
        Interlocked.Increment(ref _waiting);
        if (!_queue.Writer.TryWrite(unit))
        {
            Interlocked.Decrement(ref _waiting);
            throw new ObjectDisposedException(nameof(LedgerWriter), "The ledger writer has stopped.");
        }

        return unit.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Units already queued are still committed; only a stuck database makes the stop wait.
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        if (_logger.IsEnabled(LogLevel.Information) && Timings is { Groups: > 0 } t)
        {
            // Where the writer's time went over its life: what the load bench reads to tell a busy writer from an idle one.
            _logger.LogInformation(
                "Ledger writer stopped after {Units} units in {Groups} groups: {UnitsMs:F0} ms running units, {LinkingMs:F0} ms linking chain and tree, {CommitMs:F0} ms committing; units' CPU {UnitsCpuMs:F0} ms in the {CpuGroups} groups that ran on one thread.",
                t.Units, t.Groups, t.InUnits.TotalMilliseconds, t.Linking.TotalMilliseconds, t.Committing.TotalMilliseconds, t.UnitsCpu.TotalMilliseconds, t.CpuGroups);
        }
    }

    private async Task RunLoopAsync()
    {
        var group = new List<Unit>(MaxGroupSize);
        MarketplaceDb? db = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                group.Clear();
                while (group.Count < MaxGroupSize && _queue.Reader.TryRead(out var unit))
                {
                    Interlocked.Decrement(ref _waiting);
                    if (!unit.TryCancelIfRequested())
                    {
                        group.Add(unit);
                    }
                }

                if (group.Count == 0)
                {
                    continue;
                }

                try
                {
                    db ??= Open();
                }
                catch (Exception ex)
                {
                    LogGroupFailed(ex, group.Count);
                    group.ForEach(u => u.Abandon(ex));
                    continue;
                }

                if (!await CommitGroupAsync(db, group).ConfigureAwait(false))
                {
                    // After a failed group the context may hold a broken connection or transaction: start afresh.
                    await db.DisposeAsync().ConfigureAwait(false);
                    db = null;
                }
            }
        }
        finally
        {
            if (db is not null)
            {
                await db.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private MarketplaceDb Open()
    {
        var db = _open();
        var interceptors = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors;
        if (interceptors?.Contains(LedgerUnit.WriteInterceptor.Instance) != true)
        {
            // Without it a scope could roll back to the unit's savepoint over writes it did not make.
            db.Dispose();
            throw new InvalidOperationException("The ledger writer's context must be configured through LedgerWriter.ConfigureContext.");
        }

        db.DefersLedgerLinks = true;
        // Every unit has a savepoint of the writer's and rolls back its own; EF's own savepoint around each
        // SaveChanges would only add two statements per save.
        db.Database.AutoSavepointsEnabled = false;
        // Held open for the writer's life: one physical connection, its settings applied once.
        db.Database.OpenConnection();
        return db;
    }

    /// <summary>One transaction for the group; true when it committed.</summary>
    private async Task<bool> CommitGroupAsync(MarketplaceDb db, List<Unit> group)
    {
        var stopping = _stopping.Token;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(stopping).ConfigureAwait(false);
            // Other processes on the database (PostgreSQL) link between groups, not inside one.
            await DatabaseProvider.LockLedgerAsync(db, stopping).ConfigureAwait(false);
            // Each unit's savepoint through plain commands prepared once per group (SAVEPOINT and RELEASE: two statements).
            await using var savepoint = new LedgerUnit(db.Database.GetDbConnection(), transaction.GetDbTransaction());
            var lastBefore = await LedgerChain.LastIdAsync(db, stopping).ConfigureAwait(false);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var (thread, cpuStarted) = (Environment.CurrentManagedThreadId, ThreadCpu.Nanoseconds());
            foreach (var unit in group)
            {
                await savepoint.BeginAsync(stopping).ConfigureAwait(false);
                db.WriterUnit = savepoint;
                try
                {
                    await unit.RunAsync(db, stopping).ConfigureAwait(false);
                    await savepoint.ReleaseAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    // Only this unit's writes go; the group carries on. If the database cannot even roll back to the
                    // savepoint, the throw below fails the whole group.
                    await savepoint.RollbackAsync(stopping).ConfigureAwait(false);
                    await savepoint.ReleaseAsync(stopping).ConfigureAwait(false);
                    unit.Failed(ex);
                }
                finally
                {
                    db.WriterUnit = null;
                }

                db.ChangeTracker.Clear();
            }

            var linking = System.Diagnostics.Stopwatch.GetTimestamp();
            if (thread == Environment.CurrentManagedThreadId && cpuStarted >= 0)
            {
                // The units' CPU, unlike their wall time, does not grow with the machine's load: comparable across runs.
                Interlocked.Add(ref _unitCpuNanoseconds, ThreadCpu.Nanoseconds() - cpuStarted);
                Interlocked.Increment(ref _unitCpuGroups);
            }

            await LedgerChain.LinkRecordedAfterAsync(db, lastBefore, stopping).ConfigureAwait(false);
            var committing = System.Diagnostics.Stopwatch.GetTimestamp();
            await transaction.CommitAsync(stopping).ConfigureAwait(false);
            Interlocked.Add(ref _unitTicks, linking - started);
            Interlocked.Add(ref _linkTicks, committing - linking);
            Interlocked.Add(ref _commitTicks, System.Diagnostics.Stopwatch.GetTimestamp() - committing);
        }
        catch (Exception ex)
        {
            LogGroupFailed(ex, group.Count);
            foreach (var unit in group)
            {
                unit.Abandon(ex);
            }

            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        Interlocked.Increment(ref _groups);
        Interlocked.Add(ref _units, group.Count);
        foreach (var unit in group)
        {
            unit.Answer();
        }

        return true;
    }

    private void LogGroupFailed(Exception error, int units)
    {
        if (_logger.IsEnabled(LogLevel.Error))
        {
            _logger.LogError(error, "A group of {Units} ledger units did not commit; none of them was written and each caller got the error.", units);
        }
    }

    /// <summary>A queued piece of work and the caller waiting for its answer.</summary>
    private abstract class Unit
    {
        public abstract Task RunAsync(MarketplaceDb db, CancellationToken stopping);

        /// <summary>Cancels a unit whose caller gave up before it ran; true when it was.</summary>
        public abstract bool TryCancelIfRequested();

        /// <summary>The unit threw: its own writes were rolled back; it answers with the exception once the group commits.</summary>
        public abstract void Failed(Exception error);

        /// <summary>The group did not commit: nothing was written, whatever the unit had computed.</summary>
        public abstract void Abandon(Exception error);

        /// <summary>The group committed: the caller gets the unit's result (or its own exception).</summary>
        public abstract void Answer();
    }

    private sealed class Unit<T>(Func<MarketplaceDb, CancellationToken, Task<T>> work, CancellationToken cancellationToken) : Unit
    {
        // Continuations run on the caller's side, never inline on the writer's loop.
        private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _answer.Task;

        public override async Task RunAsync(MarketplaceDb db, CancellationToken stopping) =>
            // Once started, a unit runs to the end whatever its caller does: the group's other units are waiting for it.
            _result = await work(db, stopping).ConfigureAwait(false);

        public override bool TryCancelIfRequested() => cancellationToken.IsCancellationRequested && _answer.TrySetCanceled(cancellationToken);

        public override void Failed(Exception error) => _error = error;

        public override void Abandon(Exception error) => _answer.TrySetException(error);

        public override void Answer()
        {
            if (_error is not null)
            {
                _answer.TrySetException(_error);
            }
            else
            {
                _answer.TrySetResult(_result!);
            }
        }
    }
}

/// <summary>
/// Totals since the writer started: groups and units committed, and the time spent running units, linking the chain and
/// tree, and committing (the fsync); <see cref="UnitsCpu"/> is the CPU the units took, over the <see cref="CpuGroups"/>
/// groups whose units started and ended on the same thread (Linux; elsewhere none).
/// </summary>
public sealed record LedgerWriterTimings(long Groups, long Units, TimeSpan InUnits, TimeSpan Linking, TimeSpan Committing, TimeSpan UnitsCpu, long CpuGroups);

/// <summary>The calling thread's CPU time, for the writer's profile: Linux's per-thread scheduler statistics.</summary>
internal static class ThreadCpu
{
    /// <summary>Nanoseconds the calling thread has run on a CPU, or -1 where the figure is not available.</summary>
    public static long Nanoseconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        try
        {
            // "<ns on cpu> <ns waiting> <timeslices>"; read twice per group, not per unit.
            var text = File.ReadAllText("/proc/thread-self/schedstat");
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            return end > 0 && long.TryParse(text.AsSpan(0, end), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ns) ? ns : -1;
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
