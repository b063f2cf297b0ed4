using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Marketplace.Core;
using Marketplace.Core.Ledger;
using Marketplace.Testing;
using Marketplace.Web.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.E2E.Instances;

/// <summary>
/// A shop scaled out as README "Scale out" describes it: two app processes (<c>app1</c>, <c>app2</c>) in Production on one
/// database, each with its own data directory, one data-protection certificate, the fake Stripe, and nginx running
/// deploy/nginx.conf in front of them on loopback. Everything is stopped and removed when the test ends.
/// </summary>
public sealed class ScaledShop : IAsyncLifetime
{
    /// <summary>What each new account is granted: exactly five icon packs at 12.50.</summary>
    public const string WelcomeGrant = "62.50";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("marketplace-scaled-");
    private readonly int _balancerPort = NginxBalancer.FreeLoopbackPort();
    private readonly List<AppProcess> _instances = [];
    private ShopDatabase? _database;
    private NginxBalancer? _balancer;

    public FakeStripe Stripe { get; private set; } = null!;

    public NginxBalancer Balancer => _balancer ?? throw new InvalidOperationException("Not started.");

    public IReadOnlyList<AppProcess> Instances => _instances;

    /// <summary>The site's origin, as PUBLIC_BASE_URL says and signed intents name it.</summary>
    public string Origin => Balancer.Origin.GetLeftPart(UriPartial.Authority);

    /// <summary>The settings both instances share (the database's, the certificate's, the site's).</summary>
    public Dictionary<string, string> SharedSettings { get; } = [];

    public async Task InitializeAsync()
    {
        _database = await ShopDatabase.CreateAsync(_root);
        Stripe = await FakeStripe.StartAsync();
        var certificate = Path.Combine(_root.FullName, "data-protection.pfx");
        const string Password = "scale-out certificate password";
        WriteCertificate(certificate, Password);
        foreach (var (key, value) in _database.Settings)
        {
            SharedSettings[key] = value;
        }

        foreach (var (key, value) in Stripe.AppSettings)
        {
            SharedSettings[key] = value;
        }

        SharedSettings["ASPNETCORE_ENVIRONMENT"] = "Production";
        SharedSettings["PUBLIC_BASE_URL"] = $"https://127.0.0.1:{_balancerPort}";
        SharedSettings["FORWARDED_PROXIES"] = "127.0.0.1";
        SharedSettings["DataProtection__CertificatePath"] = certificate;
        SharedSettings["DataProtection__CertificatePassword"] = Password;
        SharedSettings["DEMO_PAYMENT"] = "true";
        SharedSettings["Marketplace__WelcomeGrant"] = WelcomeGrant;
        SharedSettings["Logging__Format"] = "json";
        // Every shopper of the test comes from 127.0.0.1: the app's own per-IP budget would stop the load, not nginx's.
        SharedSettings["RateLimits__AuthPerMinute"] = "100000";
        SharedSettings["RateLimits__InitiatePerMinute"] = "100000";

        foreach (var name in new[] { "app1", "app2" })
        {
            var settings = new Dictionary<string, string>(SharedSettings)
            {
                ["Webhooks__InstanceId"] = name,
                ["Storage__DataDirectory"] = _root.CreateSubdirectory(name).FullName,
            };
            _instances.Add(AppProcess.Start(name, NginxBalancer.FreeLoopbackPort(), settings));
        }

        await Task.WhenAll(_instances.Select(i => i.WaitUntilReadyAsync(StartTimeout)));
        _balancer = await NginxBalancer.StartAsync(_balancerPort, _instances[0].Port, _instances[1].Port);
    }

    /// <summary>A new shopper talking to the balancer, registered (and granted <see cref="WelcomeGrant"/>).</summary>
    public async Task<ShopClient> ShopperAsync()
    {
        var shopper = new ShopClient(Balancer.CreateClient(), Origin);
        await shopper.RegisterAsync();
        return shopper;
    }

    /// <summary>
    /// A client straight to one instance, past the balancer, as the balancer itself would talk to it (from loopback, with
    /// X-Forwarded-Proto: https, which the instance believes from 127.0.0.1).
    /// </summary>
    public static HttpClient Direct(AppProcess instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{instance.Port}") };
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return http;
    }

    /// <summary>Runs reconciliation over the shared database with the app's own services, as the nightly job does.</summary>
    public async Task<ReconciliationRun> ReconcileAsync()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(SharedSettings.Select(s => new KeyValuePair<string, string?>(s.Key.Replace("__", ":", StringComparison.Ordinal), s.Value)));
        builder.Configuration["Storage:DataDirectory"] = _root.CreateSubdirectory("reconcile").FullName;
        builder.Services.AddMarketplaceCore(builder.Configuration, builder.Environment);
        builder.AddMarketplaceDataProtection();
        await using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync();
    }

    /// <summary>What the instances wrote, for failure messages.</summary>
    public string Logs => string.Join("\n", _instances.Select(i => $"--- {i.Name}\n{i.Output}")) + $"\n--- nginx\n{_balancer?.Output}";

    public async Task DisposeAsync()
    {
        _balancer?.Dispose();
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _root.Delete(recursive: true);
    }

    private static void WriteCertificate(string path, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Marketplace data protection (scale-out test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
    }
}
