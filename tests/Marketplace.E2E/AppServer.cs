using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Marketplace.Core.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.E2E;

/// <summary>The real app on Kestrel at a loopback port, with its own SQLite file, shared by the "app" collection (derive to add settings).</summary>
public class AppServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-e2e-");
    private readonly int _port = FreeLoopbackPort();

    public AppServer()
    {
        BaseUrl = $"http://127.0.0.1:{_port}";
        // A browser needs a real socket; the in-memory TestServer will not do.
        UseKestrel(_port);
    }

    public const string BankName = "Example Bank Tanzania";
    public const string BankAccountNumber = "0150-2233-4455";

    /// <summary>The admin the bank transfer tests sign in as (each admin test class has its own address, so none race to register one).</summary>
    public const string BankAdminEmail = "bank-admin@example.test";

    /// <summary>The origin the browser talks to, e.g. http://127.0.0.1:41234 (a secure context for WebCrypto).</summary>
    public string BaseUrl { get; }

    /// <summary>What <c>admin grant &lt;email&gt;</c> does (the account must have verified its email first).</summary>
    public async Task GrantAdminAsync(string email)
    {
        using var scope = Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<AdminRoles>().GrantAsync(AdminRoles.CommandLine, email);
        Assert.IsType<RoleChangeResult.Done>(result);
    }

    public virtual Task InitializeAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Marketplace", $"Data Source={Path.Combine(_dataDirectory.FullName, "marketplace.db")}");
        builder.UseSetting("DEMO_PAYMENT", "true");
        builder.UseSetting("PUBLIC_BASE_URL", BaseUrl);
        // Bank transfer is offered next to Demo, so tests pick their payment method by name.
        builder.UseSetting("BANK_NAME", BankName);
        builder.UseSetting("BANK_ACCOUNT_NAME", "Marketplace Ltd");
        builder.UseSetting("BANK_ACCOUNT_NUMBER", BankAccountNumber);
        builder.UseSetting("BANK_SWIFT_CODE", "EXMPTZTZ");
        // Every browser in the suite signs up and in from 127.0.0.1, which is one client to the per-IP limits; a faster
        // run of the collection would otherwise meet "Too many attempts" (the limits have their own Web tests).
        builder.UseSetting("RateLimits:AuthPerMinute", "100000");
        builder.UseSetting("RateLimits:RecoverPerHour", "100000");
        builder.UseSetting("RateLimits:InitiatePerMinute", "100000");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || !Directory.Exists(_dataDirectory.FullName))
            return;
        // Pooled connections would otherwise keep the database file open.
        SqliteConnection.ClearAllPools();
        _dataDirectory.Delete(recursive: true);
    }

    // Kestrel could pick port 0 itself, but PUBLIC_BASE_URL has to be known before the app starts.
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
