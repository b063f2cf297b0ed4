using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Marketplace.Web.Tests.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Web.Tests.Instances;

/// <summary>
/// One app instance on a data directory the test owns: start two on the same one and they share the database and the
/// job storage, as instances behind a load balancer share theirs. Settings are applied over the usual test ones.
/// </summary>
public sealed class SharedDataApp(DirectoryInfo dataDirectory, params (string Key, string Value)[] settings) : MarketplaceApp(dataDirectory, ownsDataDirectory: false)
{
    /// <summary>Every line this instance logged.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }
}

/// <summary>Self-signed certificates for encrypting the data-protection keys, written as password-protected PFX files.</summary>
public static class TestCertificates
{
    public const string Password = "correct horse battery staple";

    /// <summary>Writes <c>&lt;name&gt;.pfx</c> into <paramref name="directory"/> and returns the settings that name it.</summary>
    public static (string Key, string Value)[] Write(DirectoryInfo directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Marketplace data protection ({name})", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(directory.FullName, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return [("DataProtection:CertificatePath", path), ("DataProtection:CertificatePassword", Password)];
    }

    /// <summary>The same certificate named as the one a new certificate replaced.</summary>
    public static (string Key, string Value)[] AsPrevious((string Key, string Value)[] settings) =>
        settings.Select(s => (s.Key.Replace("DataProtection:Certificate", "DataProtection:PreviousCertificate", StringComparison.Ordinal), s.Value)).ToArray();
}
