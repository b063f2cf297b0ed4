using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Marketplace.Core.Settings;
using Microsoft.AspNetCore.DataProtection;

namespace Marketplace.Web.Auth;

/// <summary>
/// One key ring for every instance on the database: the keys behind session cookies and antiforgery tokens live in
/// <c>data_protection_keys</c>, encrypted with the configured certificate (<see cref="DataProtectionSettings"/>), so a
/// cookie from one instance is good on another. Secrets Core keeps in the database (the receipt key) are encrypted
/// with the same ring.
/// </summary>
public static class DataProtectionExtensions
{
    private const string SecretsPurpose = "Marketplace.ServerKeys";

    public static WebApplicationBuilder AddMarketplaceDataProtection(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The certificate is handed to data protection while services are registered, so it is read (and checked) now.
        var settings = new StartupSettings(builder.Configuration, builder.Environment).Read<DataProtectionSettings>();
        builder.Services.AddSettings<DataProtectionSettings>();
        builder.Services.AddDbContext<DataProtectionKeysDb>((sp, o) => DatabaseProvider.Configure(o, sp.GetRequiredService<DatabaseSettings>()));

        var protection = builder.Services.AddDataProtection()
            .SetApplicationName("Marketplace")
            .PersistKeysToDbContext<DataProtectionKeysDb>();
        if (settings.Certificate is { } certificate)
        {
            protection.ProtectKeysWithCertificate(certificate);
            // Keys written under the certificate this one replaced still decrypt.
            protection.UnprotectKeysWithAnyCertificate(settings.PreviousCertificate is { } previous ? [certificate, previous] : [certificate]);
        }

        builder.Services.AddSingleton<ISecretProtector, DataProtectionSecrets>();
        CachedAntiforgeryProtection.Decorate(builder.Services);
        return builder;
    }

    /// <summary>Says at start when the keys are stored unencrypted (allowed on SQLite; PostgreSQL outside Development refuses to start).</summary>
    public static void WarnIfKeysAreUnencrypted(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<DataProtectionSettings>().Certificate is null)
        {
            app.Logger.LogWarning(
                "DataProtection__CertificatePath is not set: the data-protection keys (sessions, antiforgery) and the receipt key they protect are stored unencrypted in the database, so anyone with a copy of it can forge sessions and receipts. Configure a certificate (README, Scale out).");
        }
    }

    private sealed class DataProtectionSecrets(IDataProtectionProvider provider) : ISecretProtector
    {
        // Every protector the key-ring provider makes is a persisted one: it can say when a payload needs protecting again.
        private readonly IPersistedDataProtector _protector = (IPersistedDataProtector)provider.CreateProtector(SecretsPurpose);

        public string Protect(string secret) => _protector.Protect(secret);

        public UnprotectedSecret? Unprotect(string protectedSecret)
        {
            try
            {
                var plain = _protector.DangerousUnprotect(WebEncoders.Base64UrlDecode(protectedSecret), ignoreRevocationErrors: false, out var requiresMigration, out _);
                return new UnprotectedSecret(Encoding.UTF8.GetString(plain), requiresMigration);
            }
            catch (Exception e) when (e is CryptographicException or FormatException)
            {
                return null;
            }
        }
    }
}
