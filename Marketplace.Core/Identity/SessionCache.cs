using System.Collections.Concurrent;

namespace Marketplace.Core.Identity;

/// <summary>What a live session says about its user at the moment it was checked.</summary>
public sealed record ActiveSession(Guid SessionId, Guid UserId, string Email, string DisplayName, bool IsAdmin, bool EmailVerified);

/// <summary>
/// Remembers each session's last check for <see cref="SessionSettings.RecheckInterval"/>, so a page and its htmx
/// requests do not each read the database. Anything in this process that changes a user's sessions or role calls
/// <see cref="Forget"/>, which bumps the user's generation and a global epoch: entries stored before it are never
/// served again, and a check that was reading the database while it happened is not stored at all. Another process
/// (the admin command) is seen within the interval.
/// </summary>
public sealed class SessionCache(SessionSettings options, TimeProvider clock)
{
    private const int PurgeAbove = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, long> _generations = new();
    private long _epoch;

    /// <summary>Read before a check reads the database and hand it to <see cref="Set"/>.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    private long GenerationOf(Guid userId) => _generations.GetValueOrDefault(userId);

    public bool TryGet(string tokenKey, out ActiveSession session)
    {
        session = null!;
        if (!_entries.TryGetValue(tokenKey, out var entry))
        {
            return false;
        }

        if (entry.Generation != GenerationOf(entry.Session.UserId) || clock.GetUtcNow() - entry.CheckedAt >= options.RecheckInterval)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(tokenKey, entry));
            return false;
        }

        session = entry.Session;
        return true;
    }

    /// <summary>Keeps <paramref name="session"/> unless something was forgotten since <paramref name="epochBeforeRead"/>.</summary>
    public void Set(string tokenKey, ActiveSession session, long epochBeforeRead)
    {
        ArgumentNullException.ThrowIfNull(session);
        // The generation is read before the epoch is compared: a Forget after the comparison leaves this entry stale-marked.
        var generation = GenerationOf(session.UserId);
        if (options.RecheckInterval <= TimeSpan.Zero || Epoch != epochBeforeRead)
        {
            return;
        }

        if (_entries.Count > PurgeAbove)
        {
            Purge();
        }

        _entries[tokenKey] = new Entry(session, generation, clock.GetUtcNow());
    }

    /// <summary>Epoch first, then generation: a Set that sees the new generation is sure to see the new epoch too.</summary>
    public void Forget(Guid userId)
    {
        Interlocked.Increment(ref _epoch);
        _generations.AddOrUpdate(userId, 1, (_, generation) => generation + 1);
    }

    public void ForgetToken(string tokenKey) => _entries.TryRemove(tokenKey, out _);

    private void Purge()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (now - entry.CheckedAt >= options.RecheckInterval)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed record Entry(ActiveSession Session, long Generation, DateTimeOffset CheckedAt);
}
