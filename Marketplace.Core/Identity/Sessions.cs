using System.Security.Cryptography;
using System.Text;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Identity;

/// <summary>A new session: the token goes into the cookie and is never stored.</summary>
public sealed record StartedSession(Guid SessionId, string Token);

/// <summary>One of a user's sessions as the account page lists it.</summary>
public sealed record SessionView(Guid Id, DateTime CreatedAt, DateTime LastSeenAt, DateTime ExpiresAt, string UserAgent, string IpAddress, bool IsCurrent);

/// <summary>
/// Server-side sessions: started at sign-in, checked on every request (through <see cref="SessionCache"/>), ended by
/// log out, "Log out everywhere" or a key replacement, and swept once idle for longer than the timeout.
/// </summary>
public sealed class Sessions(MarketplaceDb db, SessionCache cache, SessionSettings options, TimeProvider clock)
{
    public async Task<StartedSession> StartAsync(Guid userId, string? userAgent, string? ipAddress, CancellationToken cancellationToken = default)
    {
        var token = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(32));
        var session = UserSession.Start(userId, Hash(token), userAgent, ipAddress, Now(), options.IdleTimeout);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return new StartedSession(session.Id, token);
    }

    /// <summary>The session behind <paramref name="token"/> with its user's current role, or null if it ended or expired.</summary>
    public async Task<ActiveSession?> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var key = Convert.ToHexString(hash);
        if (cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var now = Now();
        // Taken before the read, so a log out or role change that lands meanwhile is never cached over.
        var epoch = cache.Epoch;
        var row = await db.Sessions.AsNoTracking()
            .Where(s => s.TokenHash == hash && s.ExpiresAt > now)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { s.Id, s.LastSeenAt, u })
            .Select(r => new { r.Id, r.LastSeenAt, UserId = r.u.Id, r.u.Email, r.u.DisplayName, r.u.IsAdmin, r.u.EmailVerifiedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            cache.ForgetToken(key);
            return null;
        }

        if (now - row.LastSeenAt >= SessionSettings.LastSeenResolution)
        {
            await db.Sessions.Where(s => s.Id == row.Id && s.LastSeenAt == row.LastSeenAt)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now).SetProperty(x => x.ExpiresAt, now + options.IdleTimeout), cancellationToken);
        }

        var session = new ActiveSession(row.Id, row.UserId, row.Email, row.DisplayName, row.IsAdmin, row.EmailVerifiedAt is not null);
        cache.Set(key, session, epoch);
        return session;
    }

    public async Task<IReadOnlyList<SessionView>> ListAsync(Guid userId, string? currentToken, CancellationToken cancellationToken = default)
    {
        var current = string.IsNullOrEmpty(currentToken) ? [] : Hash(currentToken);
        var now = Now();
        var rows = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.ExpiresAt > now)
            .ToListAsync(cancellationToken);
        return rows
            .Select(s => new SessionView(s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.UserAgent, s.IpAddress, s.TokenHash.AsSpan().SequenceEqual(current)))
            .OrderByDescending(s => s.IsCurrent).ThenByDescending(s => s.LastSeenAt)
            .ToList();
    }

    /// <summary>Log out: the session behind this cookie ends, so a copy of the cookie stops working too.</summary>
    public async Task EndAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
        {
            return;
        }

        var hash = Hash(token);
        var userId = await db.Sessions.Where(s => s.TokenHash == hash).Select(s => (Guid?)s.UserId).SingleOrDefaultAsync(cancellationToken);
        await db.Sessions.Where(s => s.TokenHash == hash).ExecuteDeleteAsync(cancellationToken);
        cache.ForgetToken(Convert.ToHexString(hash));
        // Also bumps the user's generation, so a check of this session already under way is not cached after the delete.
        if (userId is { } id)
        {
            cache.Forget(id);
        }
    }

    /// <summary>Ends one of the user's own sessions; false if there is no such session of theirs.</summary>
    public async Task<bool> EndAsync(Guid userId, Guid sessionId, CancellationToken cancellationToken = default)
    {
        var ended = await db.Sessions.Where(s => s.Id == sessionId && s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        cache.Forget(userId);
        return ended > 0;
    }

    /// <summary>"Log out everywhere": every session of the user except the one behind <paramref name="currentToken"/>.</summary>
    public async Task<int> EndOthersAsync(Guid userId, string? currentToken, CancellationToken cancellationToken = default)
    {
        var current = string.IsNullOrEmpty(currentToken) ? [] : Hash(currentToken);
        var ended = await db.Sessions.Where(s => s.UserId == userId && s.TokenHash != current).ExecuteDeleteAsync(cancellationToken);
        cache.Forget(userId);
        return ended;
    }

    /// <summary>Deletes sessions idle past their expiry; the background sweep calls this.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = Now();
        return await db.Sessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
