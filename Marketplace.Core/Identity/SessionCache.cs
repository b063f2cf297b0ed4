using System.Collections.Concurrent;

namespace Marketplace.Core.Identity;

/// <summary>What a live session says about its user at the moment it was checked.</summary>
public sealed record ActiveSession(Guid SessionId, Guid UserId, string Email, string DisplayName, bool IsAdmin, bool EmailVerified);

/// <summary>
/// Remembers each session's last check for <see cref="SessionSettings.RecheckInterval"/>, so a page and its htmx
/// requests do not each read the database. Anything in this process that changes a user's sessions or role calls
/// <see cref="Forget"/>, which bumps the user's generation: entries read before it (even ones still being read
/// while it happens) are never served again. Another process (the admin command) is seen within the interval.
/// </summary>
public sealed class SessionCache(SessionSettings options, TimeProvider clock)
{
    private const int PurgeAbove = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, long> _generations = new();

    public long GenerationOf(Guid userId) => _generations.GetValueOrDefault(userId);

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

    /// <summary>Keeps <paramref name="session"/> unless the user's generation moved on since <paramref name="generation"/> was read.</summary>
    public void Set(string tokenKey, ActiveSession session, long generation)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (options.RecheckInterval <= TimeSpan.Zero || generation != GenerationOf(session.UserId))
        {
            return;
        }

        if (_entries.Count > PurgeAbove)
        {
            Purge();
        }

        _entries[tokenKey] = new Entry(session, generation, clock.GetUtcNow());
    }

    public void Forget(Guid userId) => _generations.AddOrUpdate(userId, 1, (_, generation) => generation + 1);

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
