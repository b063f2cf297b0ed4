using System.Net;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Instances;

/// <summary>
/// The certificate that encrypts the key ring at rest can be replaced by naming the old one as the previous
/// certificate; replacing it without that stops the start rather than minting a new receipt key that would orphan
/// every receipt issued so far. Without any certificate the keys are stored in the clear, and the start says so.
/// </summary>
public sealed class WhenTheKeyCertificateChanges : IDisposable
{
    private static readonly Uri Origin = new(MarketplaceApp.Origin);

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-certificates-");

    [Fact]
    public async Task With_the_old_one_named_as_previous_sessions_and_the_receipt_key_carry_on()
    {
        var old = TestCertificates.Write(_dataDirectory, "old");
        var cookies = new CookieContainer();
        string keyBefore;
        using (var before = new SharedDataApp(_dataDirectory, old))
        {
            using var client = new ApiClient(before.CreateDefaultClient(Origin, new CookieContainerHandler(cookies)));
            using var registered = await client.RegisterAsync(TestUser.New());
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            keyBefore = await PublishedKeyAsync(before);
        }

        var replaced = TestCertificates.Write(_dataDirectory, "new").Concat(TestCertificates.AsPrevious(old)).ToArray();
        using var after = new SharedDataApp(_dataDirectory, replaced);
        using var signedIn = new ApiClient(after.CreateDefaultClient(Origin, new CookieContainerHandler(cookies)));

        Assert.Equal(keyBefore, await PublishedKeyAsync(after));
        Assert.Equal("1000.00", await signedIn.AvailableAsync());
    }

    [Fact]
    public async Task Once_a_key_made_under_the_new_one_is_current_the_receipt_key_moves_to_it_and_the_old_one_can_go()
    {
        var old = TestCertificates.Write(_dataDirectory, "old");
        string keyBefore;
        using (var before = new SharedDataApp(_dataDirectory, old))
        {
            keyBefore = await PublishedKeyAsync(before);
        }

        var current = TestCertificates.Write(_dataDirectory, "new");
        using (var during = new SharedDataApp(_dataDirectory, [.. current, .. TestCertificates.AsPrevious(old)]))
        {
            Assert.Equal(keyBefore, await PublishedKeyAsync(during));
            // What the key ring does by itself when the current key nears its expiry (90 days): a new key, under the new certificate.
            var now = DateTimeOffset.UtcNow;
            during.Services.GetRequiredService<IKeyManager>().CreateNewKey(now, now.AddDays(90));
        }

        // The next start finds the receipt key under a key that is no longer current, and encrypts it under the current one.
        using (var moved = new SharedDataApp(_dataDirectory, [.. current, .. TestCertificates.AsPrevious(old)]))
        {
            Assert.Equal(keyBefore, await PublishedKeyAsync(moved));
        }

        using var without = new SharedDataApp(_dataDirectory, current);

        Assert.Equal(keyBefore, await PublishedKeyAsync(without));
    }

    [Fact]
    public async Task Without_the_old_one_the_start_stops_and_says_how_to_recover()
    {
        using (var before = new SharedDataApp(_dataDirectory, TestCertificates.Write(_dataDirectory, "old")))
        {
            _ = await PublishedKeyAsync(before);
        }

        using var after = new SharedDataApp(_dataDirectory, TestCertificates.Write(_dataDirectory, "new"));

        var failure = Assert.ThrowsAny<Exception>(() => after.Services);
        Assert.Contains("receipt key stored in the database", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("DataProtection__PreviousCertificatePath", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_certificate_the_keys_are_stored_in_the_clear_and_the_start_warns()
    {
        using var app = new SharedDataApp(_dataDirectory);
        _ = await PublishedKeyAsync(app);

        Assert.Contains(app.Logs.Lines, l => l.Message.Contains("DataProtection__CertificatePath is not set", StringComparison.Ordinal));
        using var scope = app.Services.CreateScope();
        var ring = await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().DataProtectionKeys.AsNoTracking().ToListAsync();
        Assert.All(ring, k => Assert.Contains("<value>", k.Xml, StringComparison.Ordinal));
    }

    private static async Task<string> PublishedKeyAsync(SharedDataApp app)
    {
        using var anonymous = ApiClient.For(app);
        return (await anonymous.GetJsonAsync("/api/receipts/public-key")).GetProperty("public_key").GetString()!;
    }

    public void Dispose()
    {
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }
}
