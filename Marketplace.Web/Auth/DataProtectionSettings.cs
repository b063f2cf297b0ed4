using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Marketplace.Core.Persistence;
using Marketplace.Core.Settings;

namespace Marketplace.Web.Auth;

/// <summary>
/// The certificate that encrypts the data-protection keys at rest in the database (<c>DataProtection__…</c>): a PFX file
/// with its private key, and optionally the one it replaced, so keys (and the receipt key they protect) written under
/// the old certificate still decrypt after a change. Without a certificate the keys are stored in the clear: allowed on
/// SQLite (with a warning outside Development, <see cref="DataProtectionExtensions"/>), refused on PostgreSQL outside
/// Development, where every pg_dump and replica would carry them.
/// </summary>
public sealed class DataProtectionSettings : ISettings<DataProtectionSettings>
{
    public static string Section => "DataProtection";

    public string? CertificatePath { get; init; }

    [Verbatim]
    public string? CertificatePassword { get; init; }

    public string? PreviousCertificatePath { get; init; }

    [Verbatim]
    public string? PreviousCertificatePassword { get; init; }

    /// <summary>Loaded and checked at start; null when no certificate is configured.</summary>
    public X509Certificate2? Certificate { get; private set; }

    public X509Certificate2? PreviousCertificate { get; private set; }

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        Certificate = Load(check, nameof(CertificatePath), CertificatePath, CertificatePassword);
        PreviousCertificate = Load(check, nameof(PreviousCertificatePath), PreviousCertificatePath, PreviousCertificatePassword);
        if (CertificatePath is null && PreviousCertificatePath is not null)
        {
            check.Missing(check.Key(nameof(CertificatePath)), "a previous certificate only decrypts; the current one encrypts the keys");
        }

        if (CertificatePath is null && !check.Environment.IsDevelopment() && check.Read<DatabaseOptions>().Provider == DatabaseKind.Postgres)
        {
            check.Missing(check.Key(nameof(CertificatePath)), "on PostgreSQL outside Development the data-protection keys must be encrypted at rest (README, Scale out: how to make a certificate)");
        }
    }

    private static X509Certificate2? Load(SettingChecks check, string property, string? path, string? password)
    {
        if (path is null)
        {
            return null;
        }

        const string Expected = "a PKCS#12 (.pfx) file with a private key, readable with the password in the matching …Password setting";
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
            if (certificate.HasPrivateKey && certificate.GetRSAPrivateKey() is { } rsa)
            {
                rsa.Dispose();
                return certificate;
            }

            certificate.Dispose();
            check.Invalid(check.Key(property), Expected + " (an RSA key: XML encryption needs one)");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            check.Invalid(check.Key(property), Expected);
        }

        return null;
    }
}
