using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Marketplace.Core.Ledger;

/// <summary>
/// A unit of ledger work: its own transaction when the caller has none, otherwise a savepoint
/// inside the caller's, so a failed posting undoes exactly its own updates either way. In a writer's unit that has
/// written nothing yet it takes no savepoint at all and rolls back to the unit's (<see cref="LedgerUnit"/>), which
/// undoes the same writes.
/// </summary>
internal sealed class LedgerScope : IAsyncDisposable
{
    private const string SavepointName = "ledger_posting";
    private readonly MarketplaceDb _db;
    private readonly IDbContextTransaction? _owned;
    private readonly LedgerUnit? _joined;
    private readonly HashSet<object> _addedBefore;
    private bool _finished;

    private LedgerScope(MarketplaceDb db, IDbContextTransaction? owned, LedgerUnit? joined = null)
    {
        _db = db;
        _owned = owned;
        _joined = joined;
        _addedBefore = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
    }

    public static async Task<LedgerScope> BeginAsync(MarketplaceDb db, CancellationToken cancellationToken)
    {
        var current = db.Database.CurrentTransaction;
        if (current is null)
        {
            return new LedgerScope(db, await db.Database.BeginTransactionAsync(cancellationToken));
        }

        if (db.WriterUnit is { Clean: true } unit)
        {
            return new LedgerScope(db, null, unit);
        }

        await current.CreateSavepointAsync(SavepointName, cancellationToken);
        return new LedgerScope(db, null);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        _finished = true;
        if (_joined is not null)
        {
            // What the scope wrote stays; a scope begun after this one must take a savepoint of its own.
            _joined.Wrote();
        }
        else if (_owned is not null)
        {
            await _owned.CommitAsync(cancellationToken);
        }
        else
        {
            await _db.Database.CurrentTransaction!.ReleaseSavepointAsync(SavepointName, cancellationToken);
        }
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        _finished = true;
        if (_joined is not null)
        {
            await _joined.RollbackAsync(cancellationToken);
        }
        else if (_owned is not null)
        {
            await _owned.RollbackAsync(cancellationToken);
        }
        else
        {
            await _db.Database.CurrentTransaction!.RollbackToSavepointAsync(SavepointName, cancellationToken);
        }

        // Entities added during the failed attempt must not be saved by a later SaveChanges;
        // what the caller added before the scope began is the caller's to keep or drop.
        foreach (var entry in _db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added && !_addedBefore.Contains(e.Entity)).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            await RollbackAsync(CancellationToken.None);
        }

        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }
}
