using Marketplace.Core.Identity;
using Marketplace.Core.Tests.Support;

namespace Marketplace.Core.Tests.Identity;

public sealed class WhenSessionChecksAreCached
{
    private static readonly ActiveSession Alice = new(Guid.NewGuid(), Guid.NewGuid(), "alice@example.test", "Alice", IsAdmin: true, EmailVerified: true);

    private readonly ManualClock _clock = new(ManualClock.DefaultStart);

    [Fact]
    public void A_check_is_reused_only_within_the_recheck_interval()
    {
        var cache = new SessionCache(new SessionSettings { IdleTimeout = TimeSpan.FromDays(14), RecheckInterval = TimeSpan.FromSeconds(5) }, _clock);
        cache.Set("token", Alice, cache.Epoch);

        Assert.True(cache.TryGet("token", out var cached));
        Assert.Equal(Alice, cached);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(cache.TryGet("token", out _));
    }

    [Fact]
    public void Forgetting_a_user_drops_their_checks_at_once_and_others_stay()
    {
        var cache = new SessionCache(new SessionSettings { IdleTimeout = TimeSpan.FromDays(14), RecheckInterval = TimeSpan.FromSeconds(5) }, _clock);
        var bob = Alice with { UserId = Guid.NewGuid(), Email = "bob@example.test" };
        cache.Set("alice", Alice, cache.Epoch);
        cache.Set("bob", bob, cache.Epoch);

        cache.Forget(Alice.UserId);

        Assert.False(cache.TryGet("alice", out _));
        Assert.True(cache.TryGet("bob", out _));
    }

    [Fact]
    public void A_check_that_read_the_database_before_a_forget_is_not_stored()
    {
        var cache = new SessionCache(new SessionSettings { IdleTimeout = TimeSpan.FromDays(14), RecheckInterval = TimeSpan.FromSeconds(5) }, _clock);
        var epochBeforeRead = cache.Epoch;

        cache.Forget(Alice.UserId);
        cache.Set("token", Alice, epochBeforeRead);

        Assert.False(cache.TryGet("token", out _));
    }

    [Fact]
    public void A_zero_interval_caches_nothing()
    {
        var cache = new SessionCache(new SessionSettings { IdleTimeout = TimeSpan.FromDays(14), RecheckInterval = TimeSpan.Zero }, _clock);

        cache.Set("token", Alice, cache.Epoch);

        Assert.False(cache.TryGet("token", out _));
    }
}
