using System.Collections.Concurrent;

namespace Marketplace.Web.Auth;

/// <summary>
/// What a protected payload decrypted to, remembered for <see cref="Lifetime"/> by its exact text, so a payload sent on
/// every request (the session cookie, the antiforgery cookie) pays for data protection's key derivation once a minute.
/// Only payloads that decrypted are remembered; past <see cref="MaxEntries"/> (one per signed-in browser) it starts over.
/// Callers store and hand out copies, so no request sees another's.
/// </summary>
public sealed class DecryptionMemo<TValue>(TimeProvider clock)
{
    public const int MaxEntries = 50_000;

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (TValue Value, DateTimeOffset Until)> _known = new(StringComparer.Ordinal);

    public bool TryGet(string key, out TValue value)
    {
        if (_known.TryGetValue(key, out var known) && known.Until > clock.GetUtcNow())
        {
            value = known.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Remember(string key, TValue value)
    {
        if (_known.Count >= MaxEntries)
        {
            _known.Clear();
        }

        _known[key] = (value, clock.GetUtcNow() + Lifetime);
    }
}
