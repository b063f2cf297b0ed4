using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Api;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Marketplace.Tests.Support;

namespace Marketplace.Web.Tests;

/// <summary>
/// The app on the in-memory TestServer with its own SQLite file, or with TEST_DATABASE_PROVIDER=Postgres its own
/// PostgreSQL database (named after the data directory, so apps given one directory share one database). Use one per test class
/// (<c>IClassFixture&lt;MarketplaceApp&gt;</c>) so classes can run in parallel without sharing a database.
/// Derive from it to change settings or services; pass a data directory to share a database
/// between two app instances (the caller then owns and deletes that directory).
/// </summary>
public class MarketplaceApp : WebApplicationFactory<Program>
{
    // TestServer's client talks to http://localhost; PUBLIC_BASE_URL has to match it for origin checks.
    public const string Origin = "http://localhost";

    public const string AdminEmail = "admin@example.test";

    private readonly SemaphoreSlim _adminGate = new(1, 1);
    private readonly DirectoryInfo _dataDirectory;
    private TestUser? _admin;
    private readonly bool _ownsDataDirectory;

    public MarketplaceApp()
        : this(Directory.CreateTempSubdirectory("marketplace-web-tests-"), ownsDataDirectory: true)
    {
    }

    protected MarketplaceApp(DirectoryInfo dataDirectory, bool ownsDataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        _dataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    /// <summary>
    /// The admin every app has: registered by the first call, verified through the mailed link and granted the role
    /// through AdminRoles (what the admin command runs); signed in again for each new client.
    /// </summary>
    public async Task<ApiClient> AdminAsync()
    {
        await _adminGate.WaitAsync();
        try
        {
            if (_admin is null)
            {
                var first = await ApiClient.RegisteredAsync(this, AdminEmail);
                await VerifyEmailAsync(AdminEmail);
                await GrantAdminAsync(AdminEmail);
                _admin = first.User;
                return first;
            }
        }
        finally
        {
            _adminGate.Release();
        }

        var client = ApiClient.For(this);
        using var login = await client.LoginAsync(_admin);
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        return client;
    }

    public string DatabasePath => Path.Combine(_dataDirectory.FullName, "marketplace.db");

    public DirectoryInfo DataDirectory => _dataDirectory;

    /// <summary>Where the app (Development, no SMTP_HOST) writes its mail as .eml files.</summary>
    public string MailDirectory => Path.Combine(_dataDirectory.FullName, "mail");

    /// <summary>The newest message mailed to <paramref name="email"/>.</summary>
    public MimeKit.MimeMessage LatestMailTo(string email) =>
        Mailbox.Read(MailDirectory).To(email).LastOrDefault() ?? throw new InvalidOperationException($"Nothing was mailed to {email}.");

    // Other mail (a bank transfer's instructions) may have come since: the newest verification message, not the newest message.
    private MimeKit.MimeMessage LatestVerificationTo(string email) =>
        Mailbox.Read(MailDirectory).To(email).LastOrDefault(m => m.Subject == "Confirm your email address for Marketplace") ?? throw new InvalidOperationException($"No verification link was mailed to {email}.");

    /// <summary>Follows the newest verification link mailed to <paramref name="email"/>, as its owner would.</summary>
    public async Task VerifyEmailAsync(string email)
    {
        using var client = ApiClient.For(this);
        using var response = await client.PostJsonAsync("/api/account/email/verify", new { Token = LatestVerificationTo(email).VerificationLink().Token() });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"Verifying {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>What <c>admin grant &lt;email&gt;</c> does, through the same Core service.</summary>
    public async Task GrantAdminAsync(string email)
    {
        using var scope = Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<Marketplace.Core.Identity.AdminRoles>().GrantAsync(Marketplace.Core.Identity.AdminRoles.CommandLine, email);
        Assert.IsType<Marketplace.Core.Identity.RoleChangeResult.Done>(result);
    }

    /// <summary>A client that keeps cookies between requests, like a browser, and by default shows redirects instead of following them.</summary>
    public HttpClient CreateBrowserClient(bool followRedirects = false) =>
        CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri(Origin),
            HandleCookies = true,
            AllowAutoRedirect = followRedirects,
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", TestProvider.Kind.ToString());
        builder.UseSetting("ConnectionStrings:Marketplace", ConnectionString(_dataDirectory));
        // Key files and mail live here whatever the provider (PostgreSQL has no file to put them beside).
        builder.UseSetting("Storage:DataDirectory", _dataDirectory.FullName);
        builder.UseSetting("DEMO_PAYMENT", "true");
        builder.UseSetting("PUBLIC_BASE_URL", Origin);
        // Every client of a TestServer shares one rate-limit partition; only the rate-limit tests want the production limit.
        builder.UseSetting("RateLimits:AuthPerMinute", "100000");
        builder.UseSetting("RateLimits:RecoverPerHour", "100000");
        builder.UseSetting("RateLimits:InitiatePerMinute", "100000");
    }

    /// <summary>The connection string of the database that belongs to <paramref name="dataDirectory"/>, created if need be.</summary>
    public static string ConnectionString(DirectoryInfo dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return TestProvider.IsPostgres
            ? TestProvider.CreateDatabase(TestProvider.DatabaseNameFor(dataDirectory.FullName))
            : $"Data Source={Path.Combine(dataDirectory.FullName, "marketplace.db")}";
    }

    /// <summary>
    /// Lets go of the database of <paramref name="dataDirectory"/> before the directory is deleted: SQLite's pooled
    /// connections would keep the file open; a PostgreSQL database is dropped.
    /// </summary>
    public static void ReleaseDatabase(DirectoryInfo dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        if (TestProvider.IsPostgres)
        {
            TestProvider.DropDatabase(TestProvider.DatabaseNameFor(dataDirectory.FullName));
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            _adminGate.Dispose();
        if (!disposing || !_ownsDataDirectory || !Directory.Exists(_dataDirectory.FullName))
        {
            if (!TestProvider.IsPostgres)
                SqliteConnection.ClearAllPools();
            return;
        }

        ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }
}
