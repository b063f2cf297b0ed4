using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Identity;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Hosting;
using Marketplace.Web.Tests.Orders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Web.Tests.Instances;

/// <summary>
/// Two instances on real Kestrel, in Production, on one SQLite database, behind nginx running deploy/nginx.conf: TLS
/// ends at nginx, whose forwarded headers the instances believe (FORWARDED_PROXIES), requests go round-robin, and the
/// limits that must hold across instances (body size, sign-in rate) are nginx's.
/// </summary>
public sealed class WhenBehindTheLoadBalancer : IAsyncLifetime
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-balanced-");
    private readonly int _port = NginxBalancer.FreeLoopbackPort();
    private readonly List<KestrelInstance> _instances = [];
    private NginxBalancer? _balancer;

    private NginxBalancer Balancer => _balancer!;

    public async Task InitializeAsync()
    {
        var origin = $"https://127.0.0.1:{_port}";
        (string, string)[] settings =
        [
            ("PUBLIC_BASE_URL", origin),
            ("FORWARDED_PROXIES", "127.0.0.1"),
            .. TestCertificates.Write(_dataDirectory, "keys"),
        ];
        _instances.Add(new KestrelInstance(_dataDirectory, settings));
        _instances.Add(new KestrelInstance(_dataDirectory, settings));
        _instances.ForEach(i => i.StartServer());
        _balancer = await NginxBalancer.StartAsync(_port, _instances[0].Port, _instances[1].Port);
    }

    [Fact]
    public async Task Shoppers_register_and_buy_through_it_on_both_instances_and_its_limits_stop_what_they_must()
    {
        using var http = Balancer.CreateClient();
        using var client = new ApiClient(http);
        using (var registered = await client.RegisterAsync(TestUser.New()))
        {
            Assert.True(registered.StatusCode == HttpStatusCode.Created, $"Registering answered {(int)registered.StatusCode}: {await registered.Content.ReadAsStringAsync()}\n{Balancer.Output}");
        }

        var receipts = new List<JsonElement>();
        for (var i = 0; i < 4; i++)
        {
            using var bought = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50", audience: Balancer.Origin.GetLeftPart(UriPartial.Authority)));
            Assert.True(bought.StatusCode == HttpStatusCode.Created, $"Buying answered {(int)bought.StatusCode}: {await bought.Content.ReadAsStringAsync()}");
            receipts.Add(await bought.Content.ReadFromJsonAsync<JsonElement>());
        }

        Assert.Equal("950.00", await client.AvailableAsync());
        var publicKey = (await client.GetJsonAsync("/api/receipts/public-key")).GetProperty("public_key").GetString()!;
        Assert.True(StrictBase64Url.TryDecode(publicKey, out var key));
        Assert.All(receipts, r => Assert.True(
            StrictBase64Url.TryDecode(r.GetProperty("receipt_signature").GetString()!, out var signature)
            && Ed25519.Verify(key, Encoding.UTF8.GetBytes(r.GetProperty("receipt").GetString()!), signature)));
        // Round-robin: each instance served part of the session (in Production, so it believed nginx that it was HTTPS).
        Assert.All(_instances, i => Assert.Contains(i.Logs.Lines, l => l.Message.Contains("/api/wallet", StringComparison.Ordinal)));

        // 2 MB where the app takes 1 MB: nginx refuses it before any instance reads it.
        using (var tooLarge = await client.PostAsync("/api/wallet/transact", new string('x', 2 * 1024 * 1024), "application/json"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        }

        // A flood of sign-in challenges from one address meets nginx's limit (a burst of 30 at 1 a second), whichever instance it would have reached.
        var statuses = new List<HttpStatusCode>();
        using var flood = new ApiClient(Balancer.CreateClient());
        while (statuses.Count < 200 && !statuses.Contains(HttpStatusCode.TooManyRequests))
        {
            using var response = await flood.PostJsonAsync("/api/auth/challenge", new { Email = (string?)null, Purpose = "login" });
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        // The burst (30, less the two the registration above spent) went through first: a limit, not a wall.
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 25, $"Only {statuses.Count(s => s == HttpStatusCode.OK)} challenges passed before the limit.");
    }

    public Task DisposeAsync()
    {
        _balancer?.Dispose();
        _instances.ForEach(i => i.Dispose());
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>One instance on Kestrel at its own loopback port, in Production.</summary>
    private sealed class KestrelInstance : MarketplaceApp
    {
        private readonly (string Key, string Value)[] _settings;

        public KestrelInstance(DirectoryInfo dataDirectory, (string Key, string Value)[] settings)
            : base(dataDirectory, ownsDataDirectory: false)
        {
            _settings = settings;
            Port = NginxBalancer.FreeLoopbackPort();
            UseKestrel(Port);
        }

        public int Port { get; }

        public CapturingLoggerProvider Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            foreach (var (key, value) in _settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Logs));
        }
    }
}
