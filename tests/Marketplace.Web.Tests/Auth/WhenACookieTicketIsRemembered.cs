using System.Security.Claims;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace Marketplace.Web.Tests.Auth;

/// <summary>
/// The session cookie's decryption is remembered for a minute (issue 16); it must answer exactly what decrypting
/// would, never share a ticket between requests, and decrypt again once the minute is over.
/// </summary>
public sealed class WhenACookieTicketIsRemembered
{
    private readonly TestClock _clock = new();
    private readonly CountingFormat _inner = new(new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("test")));

    [Fact]
    public void A_known_cookie_is_answered_without_decrypting_again_with_the_same_ticket()
    {
        var format = new CachedTicketFormat(_inner, _clock);
        var cookie = format.Protect(Ticket("user-1"));

        var first = format.Unprotect(cookie);
        var second = format.Unprotect(cookie);

        Assert.Equal(1, _inner.Unprotected);
        Assert.Equal("user-1", second?.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.Equal(first?.Properties.ExpiresUtc, second?.Properties.ExpiresUtc);
    }

    [Fact]
    public void Each_request_gets_its_own_copy()
    {
        var format = new CachedTicketFormat(_inner, _clock);
        var cookie = format.Protect(Ticket("user-1"));

        var first = format.Unprotect(cookie)!;
        first.Properties.ExpiresUtc = DateTimeOffset.UnixEpoch;
        first.Properties.Items["changed"] = "yes";
        var second = format.Unprotect(cookie)!;

        Assert.NotSame(first, second);
        Assert.NotEqual(DateTimeOffset.UnixEpoch, second.Properties.ExpiresUtc);
        Assert.False(second.Properties.Items.ContainsKey("changed"));
    }

    [Fact]
    public void A_changed_or_foreign_cookie_decrypts_to_nothing_and_is_not_remembered()
    {
        var format = new CachedTicketFormat(_inner, _clock);
        var cookie = format.Protect(Ticket("user-1"));
        var tampered = cookie[..^2] + (cookie[^2] == 'A' ? "B" : "A") + cookie[^1];

        Assert.Null(format.Unprotect(tampered));
        Assert.Null(format.Unprotect(tampered));
        Assert.Equal(2, _inner.Unprotected);
    }

    [Fact]
    public void After_a_minute_the_cookie_is_decrypted_again()
    {
        var format = new CachedTicketFormat(_inner, _clock);
        var cookie = format.Protect(Ticket("user-1"));
        format.Unprotect(cookie);

        _clock.Advance(CachedTicketFormat.Lifetime);
        var again = format.Unprotect(cookie);

        Assert.Equal(2, _inner.Unprotected);
        Assert.Equal("user-1", again?.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
    }

    private static AuthenticationTicket Ticket(string userId) => new(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "Cookies")),
        new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) },
        "Cookies");

    private sealed class CountingFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Unprotected { get; private set; }

        public string Protect(AuthenticationTicket data) => inner.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Unprotected++;
            return inner.Unprotect(protectedText, purpose);
        }
    }
}
