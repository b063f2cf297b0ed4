using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Marketplace.Web.Tests;

/// <summary>
/// The app on the in-memory TestServer with its own SQLite file. Use one per test class
/// (<c>IClassFixture&lt;MarketplaceApp&gt;</c>) so classes can run in parallel without sharing a database.
/// </summary>
public sealed class MarketplaceApp : WebApplicationFactory<Program>
{
    // TestServer's client talks to http://localhost; PUBLIC_BASE_URL has to match it for origin checks.
    public const string Origin = "http://localhost";

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-web-tests-");

    public string DatabasePath => Path.Combine(_dataDirectory.FullName, "marketplace.db");

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
        builder.UseSetting("ConnectionStrings:Marketplace", $"Data Source={DatabasePath}");
        builder.UseSetting("DEMO_PAYMENT", "true");
        builder.UseSetting("ADMIN_EMAILS", "admin@example.test");
        builder.UseSetting("PUBLIC_BASE_URL", Origin);
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
}
