using Microsoft.AspNetCore.DataProtection;

namespace Marketplace.Web.Auth;

/// <summary>
/// Remembers, for a minute, what an antiforgery token decrypted to. Every signed-in page reads the browser's
/// antiforgery cookie to issue the page's token, and decrypting it (data protection's key derivation) was a tenth of
/// the signed-in catalog's request time once the rest was cheap (bench/README.md, issue 16, third pass): the same idea
/// as <see cref="CachedTicketFormat"/> for the session cookie. Safe for the same reasons: a hit needs the exact bytes
/// that decrypted before, gets its own copy, and what they decrypt to is still checked by antiforgery itself (the
/// cookie and request tokens must match each other and the signed-in user). Only the antiforgery purpose is wrapped;
/// every other protector is the key ring's own.
/// </summary>
public sealed class CachedAntiforgeryProtection(IDataProtectionProvider inner, TimeProvider clock) : IDataProtectionProvider
{
    /// <summary>The purpose ASP.NET Core's antiforgery token serializer creates its protector with.</summary>
    public const string AntiforgeryPurpose = "Microsoft.AspNetCore.Antiforgery.AntiforgeryToken.v1";

    public static TimeSpan Lifetime => DecryptionMemo<byte[]>.Lifetime;

    public IDataProtector CreateProtector(string purpose)
    {
        var protector = inner.CreateProtector(purpose);
        return string.Equals(purpose, AntiforgeryPurpose, StringComparison.Ordinal) ? new CachingProtector(protector, clock) : protector;
    }

    /// <summary>Registers this around the data-protection provider that is registered now.</summary>
    public static void Decorate(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registered = services.Last(d => d.ServiceType == typeof(IDataProtectionProvider));
        services.Remove(registered);
        services.AddSingleton<IDataProtectionProvider>(sp => new CachedAntiforgeryProtection(
            (IDataProtectionProvider)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
    }

    private sealed class CachingProtector(IDataProtector inner, TimeProvider clock) : IDataProtector
    {
        private readonly DecryptionMemo<byte[]> _known = new(clock);

        public IDataProtector CreateProtector(string purpose) => inner.CreateProtector(purpose);

        public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

        public byte[] Unprotect(byte[] protectedData)
        {
            ArgumentNullException.ThrowIfNull(protectedData);
            var key = Convert.ToBase64String(protectedData);
            if (_known.TryGet(key, out var known))
            {
                return (byte[])known.Clone();
            }

            // Throws for a payload that does not decrypt: nothing is remembered for it.
            var plain = inner.Unprotect(protectedData);
            _known.Remember(key, (byte[])plain.Clone());
            return plain;
        }
    }
}
