using System.Security.Cryptography;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Auth;

/// <summary>
/// Antiforgery tokens' decryption is remembered for a minute (issue 16, third pass): it must answer exactly what
/// decrypting would, never hand out a shared array, remember nothing that does not decrypt, decrypt again after the
/// minute, and touch no protector but antiforgery's.
/// </summary>
public sealed class WhenAnAntiforgeryTokenIsRemembered(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private readonly TestClock _clock = new();
    private readonly CountingProvider _inner = new(new EphemeralDataProtectionProvider());

    [Fact]
    public void A_known_token_is_answered_without_decrypting_again_with_its_own_copy()
    {
        var protector = new CachedAntiforgeryProtection(_inner, _clock).CreateProtector(CachedAntiforgeryProtection.AntiforgeryPurpose);
        var token = protector.Protect([1, 2, 3]);

        var first = protector.Unprotect(token);
        first[0] = 9;
        var second = protector.Unprotect(token);

        Assert.Equal(1, _inner.Unprotected);
        Assert.Equal([1, 2, 3], second);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void A_changed_token_throws_each_time_and_is_not_remembered()
    {
        var protector = new CachedAntiforgeryProtection(_inner, _clock).CreateProtector(CachedAntiforgeryProtection.AntiforgeryPurpose);
        var tampered = protector.Protect([1, 2, 3]);
        tampered[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(tampered));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(tampered));
        Assert.Equal(2, _inner.Unprotected);
    }

    [Fact]
    public void After_a_minute_the_token_is_decrypted_again()
    {
        var protector = new CachedAntiforgeryProtection(_inner, _clock).CreateProtector(CachedAntiforgeryProtection.AntiforgeryPurpose);
        var token = protector.Protect([1, 2, 3]);
        protector.Unprotect(token);

        _clock.Advance(CachedAntiforgeryProtection.Lifetime);

        Assert.Equal([1, 2, 3], protector.Unprotect(token));
        Assert.Equal(2, _inner.Unprotected);
    }

    [Fact]
    public void Other_purposes_get_the_key_rings_own_protector_in_the_app()
    {
        var provider = app.Services.GetRequiredService<IDataProtectionProvider>();

        var other = provider.CreateProtector("Marketplace.Test");
        var antiforgery = provider.CreateProtector(CachedAntiforgeryProtection.AntiforgeryPurpose);

        Assert.IsType<CachedAntiforgeryProtection>(provider);
        Assert.IsAssignableFrom<IPersistedDataProtector>(other);
        Assert.IsNotAssignableFrom<IPersistedDataProtector>(antiforgery);
        Assert.Equal([4, 5], antiforgery.Unprotect(antiforgery.Protect([4, 5])));
    }

    private sealed class CountingProvider(IDataProtectionProvider inner) : IDataProtectionProvider
    {
        public int Unprotected { get; private set; }

        public IDataProtector CreateProtector(string purpose) => new Counting(inner.CreateProtector(purpose), this);

        private sealed class Counting(IDataProtector inner, CountingProvider owner) : IDataProtector
        {
            public IDataProtector CreateProtector(string purpose) => inner.CreateProtector(purpose);

            public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

            public byte[] Unprotect(byte[] protectedData)
            {
                owner.Unprotected++;
                return inner.Unprotect(protectedData);
            }
        }
    }
}
