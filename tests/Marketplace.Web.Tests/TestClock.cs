namespace Marketplace.Web.Tests;

/// <summary>A clock the test moves by hand, so expiry can be tested without waiting.</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = TimeProvider.System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
