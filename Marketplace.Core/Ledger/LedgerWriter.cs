using System.Threading.Channels;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
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

    private const string UnitSavepoint = "ledger_writer_unit";
    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<MarketplaceDb> _open;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _waiting;
    private long _groups;
    private long _units;
    private long _unitTicks;
    private long _linkTicks;
    private long _commitTicks;

    /// <param name="open">A new context on the database; the writer keeps one open for as long as it runs.</param>
    public LedgerWriter(Func<MarketplaceDb> open, ILogger<LedgerWriter>? logger = null)
    {
        _open = open ?? throw new ArgumentNullException(nameof(open));
        _logger = logger ?? NullLogger<LedgerWriter>.Instance;
        _loop = Task.Run(RunLoopAsync);
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
        TimeSpan.FromSeconds((double)Interlocked.Read(ref _commitTicks) / System.Diagnostics.Stopwatch.Frequency));

    /// <summary>
    /// Runs <paramref name="work"/> on the writer's context inside the next group's transaction and answers once that
    /// group has committed. The work must use only the context it is given (not the caller's), may roll back what it
    /// did through savepoints of its own (<see cref="LedgerScope"/> does), and must not commit or begin transactions.
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
                "Ledger writer stopped after {Units} units in {Groups} groups: {UnitsMs:F0} ms running units, {LinkingMs:F0} ms linking chain and tree, {CommitMs:F0} ms committing.",
                t.Units, t.Groups, t.InUnits.TotalMilliseconds, t.Linking.TotalMilliseconds, t.Committing.TotalMilliseconds);
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
            var lastBefore = await LedgerChain.LastIdAsync(db, stopping).ConfigureAwait(false);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var unit in group)
            {
                await transaction.CreateSavepointAsync(UnitSavepoint, stopping).ConfigureAwait(false);
                try
                {
                    await unit.RunAsync(db, stopping).ConfigureAwait(false);
                    await transaction.ReleaseSavepointAsync(UnitSavepoint, stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    // Only this unit's writes go; the group carries on. If the database cannot even roll back to the
                    // savepoint, the throw below fails the whole group.
                    await transaction.RollbackToSavepointAsync(UnitSavepoint, stopping).ConfigureAwait(false);
                    await transaction.ReleaseSavepointAsync(UnitSavepoint, stopping).ConfigureAwait(false);
                    unit.Failed(ex);
                }

                db.ChangeTracker.Clear();
            }

            var linking = System.Diagnostics.Stopwatch.GetTimestamp();
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

/// <summary>Totals since the writer started: groups and units committed, and the time spent running units, linking the chain and tree, and committing (the fsync).</summary>
public sealed record LedgerWriterTimings(long Groups, long Units, TimeSpan InUnits, TimeSpan Linking, TimeSpan Committing);
