using Microsoft.AspNetCore.Authentication;

namespace Marketplace.Web.Auth;

/// <summary>
/// Remembers, for a minute, what a session cookie decrypted to, so a tab that polls does not pay for data protection's
/// key derivation and decryption on every request (the largest part of a signed-in balance read once the database
/// part was cheap; bench/README.md, issue 16). Safe because a hit needs the exact cookie text that decrypted before,
/// each hit gets its own copy, the handler still checks the ticket's expiry, and the cookie only names a server
/// session that <see cref="SessionValidation"/> checks on every request: log out and "Log out everywhere" end it
/// there, whatever this remembers.
/// </summary>
public sealed class CachedTicketFormat(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider clock) : ISecureDataFormat<AuthenticationTicket>
{
    public static TimeSpan Lifetime => DecryptionMemo<AuthenticationTicket>.Lifetime;

    private readonly DecryptionMemo<AuthenticationTicket> _tickets = new(clock);

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
        {
            return inner.Unprotect(protectedText, purpose);
        }

        if (_tickets.TryGet(protectedText, out var known))
        {
            return Copy(known);
        }

        var ticket = inner.Unprotect(protectedText);
        if (ticket is null)
        {
            return null;
        }

        _tickets.Remember(protectedText, Copy(ticket));
        return ticket;
    }

    // The handler may change a ticket's properties (sliding renewal); no request sees another's.
    private static AuthenticationTicket Copy(AuthenticationTicket ticket) =>
        new(ticket.Principal.Clone(), ticket.Properties.Clone(), ticket.AuthenticationScheme);
}
