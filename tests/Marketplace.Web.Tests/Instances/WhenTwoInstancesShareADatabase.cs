using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Delivery;
using Marketplace.Web.Tests.Orders;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Instances;

/// <summary>
/// Two instances running at once on one database, as behind a load balancer: whatever one hands a browser (a session
/// cookie, an antiforgery token, a signed receipt) the other accepts or verifies, and both report the same readiness.
/// </summary>
public sealed class WhenTwoInstancesShareADatabase : IDisposable
{
    private static readonly Uri Origin = new(MarketplaceApp.Origin);

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-two-instances-");
    private readonly SharedDataApp _first;
    private readonly SharedDataApp _second;
    private readonly CookieContainer _cookies = new();

    public WhenTwoInstancesShareADatabase()
    {
        var certificate = TestCertificates.Write(_dataDirectory, "current");
        _first = new SharedDataApp(_dataDirectory, certificate);
        _second = new SharedDataApp(_dataDirectory, certificate);
        // Both are running before either serves the browser.
        _ = _first.Services;
        _ = _second.Services;
    }

    [Fact]
    public async Task A_session_begun_on_one_is_signed_in_on_the_other()
    {
        using var onFirst = ClientOf(_first);
        using (var registered = await onFirst.RegisterAsync(TestUser.New()))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using var onSecond = ClientOf(_second);

        Assert.Equal("1000.00", await onSecond.AvailableAsync());
        using var unsigned = ApiClient.For(_second);
        using var refused = await unsigned.GetAsync("/api/wallet/balance");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task An_antiforgery_token_from_one_is_accepted_by_the_other_and_its_receipt_verifies_with_the_others_key()
    {
        using var onFirst = ClientOf(_first);
        using (var registered = await onFirst.RegisterAsync(TestUser.New()))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var token = await onFirst.CsrfTokenAsync();
        var intent = Intents.Spend(Intents.IconPack, "12.50");
        using var onSecond = ClientOf(_second);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/wallet/transact", UriKind.Relative))
        {
            Content = JsonContent.Create(new { intent, public_key = onFirst.User.PublicKey, signature = onFirst.User.Sign(intent) }),
        };
        request.Headers.Add(ApiClient.CsrfHeader, token);

        using var bought = await onSecond.Http.SendAsync(request);

        Assert.True(bought.StatusCode == HttpStatusCode.Created, $"The purchase on the second instance answered {(int)bought.StatusCode}: {await bought.Content.ReadAsStringAsync()}");
        var body = await bought.Content.ReadFromJsonAsync<JsonElement>();
        var publicKey = (await onFirst.GetJsonAsync("/api/receipts/public-key")).GetProperty("public_key").GetString()!;
        Assert.True(StrictBase64Url.TryDecode(publicKey, out var key));
        Assert.True(StrictBase64Url.TryDecode(body.GetProperty("receipt_signature").GetString()!, out var signature));
        Assert.True(Ed25519.Verify(key, Encoding.UTF8.GetBytes(body.GetProperty("receipt").GetString()!), signature));
    }

    [Fact]
    public async Task Both_publish_one_receipt_key_and_the_key_ring_is_encrypted_with_the_certificate()
    {
        using var anonymousFirst = ApiClient.For(_first);
        using var anonymousSecond = ApiClient.For(_second);
        using var onFirst = ClientOf(_first);
        using (var registered = await onFirst.RegisterAsync(TestUser.New()))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var published = (await anonymousFirst.GetJsonAsync("/api/receipts/public-key")).GetProperty("public_key").GetString();

        Assert.Equal(published, (await anonymousSecond.GetJsonAsync("/api/receipts/public-key")).GetProperty("public_key").GetString());
        using var scope = _second.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        var ring = await db.DataProtectionKeys.AsNoTracking().ToListAsync();
        Assert.NotEmpty(ring);
        // A key in the clear carries its secret in <value>; an encrypted one only as XML encryption's EncryptedData.
        Assert.All(ring, k => Assert.Contains("EncryptedData", k.Xml, StringComparison.Ordinal));
        Assert.All(ring, k => Assert.DoesNotContain("<value>", k.Xml, StringComparison.Ordinal));
        var receiptKey = await db.ServerKeys.AsNoTracking().SingleAsync(k => k.Name == ReceiptKeys.Name);
        Assert.Equal(published, receiptKey.PublicKey);
        Assert.DoesNotContain(_first.Logs.Lines, l => l.Message.Contains("DataProtection__CertificatePath is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_names_itself_differently_in_its_inbox_claims()
    {
        var first = _first.Services.GetRequiredService<WebhookOptions>().InstanceId;
        var second = _second.Services.GetRequiredService<WebhookOptions>().InstanceId;

        Assert.NotEqual(first, second);
        Assert.StartsWith(Environment.MachineName, first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reconciliation_run_on_one_sets_the_readiness_of_both()
    {
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(_first));
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(_second));
        var revenue = await QueryAsync(_first, db => db.Accounts.Where(a => a.Code == AccountCodes.Revenue).Select(a => a.Id).SingleAsync());

        await TamperAsync(revenue, 1);
        await ReconcileAsync(_first);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyAsync(_first));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyAsync(_second));

        await TamperAsync(revenue, -1);
        await ReconcileAsync(_second);

        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(_first));
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(_second));
    }

    [Fact]
    public async Task A_price_changed_on_one_shows_at_once_in_the_others_cached_catalog()
    {
        using var seller = ClientOf(_first);
        using (var registered = await seller.RegisterAsync(TestUser.New()))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var title = $"Shared {Guid.NewGuid():N}";
        var product = await DeliveryTesting.ListAsync(seller, title, ("shared.pdf", DeliveryTesting.Pdf, "application/pdf"));
        using var visitor = ApiClient.For(_second);
        var query = $"/api/products?search={Uri.EscapeDataString(title)}";
        Assert.Equal("12.00", (await visitor.GetJsonAsync(query)).GetProperty("items")[0].GetProperty("price").GetString());
        using (var cached = await visitor.GetAsync(query))
        {
            Assert.NotNull(cached.Headers.Age);
        }

        using (var edit = DeliveryTesting.Form([("price", "15.25")]))
        using (var edited = await seller.PostAsync($"/api/seller/products/{product}", edit))
        {
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        }

        Assert.Equal("15.25", (await visitor.GetJsonAsync(query)).GetProperty("items")[0].GetProperty("price").GetString());
    }

    private ApiClient ClientOf(SharedDataApp app) => new(app.CreateDefaultClient(Origin, new CookieContainerHandler(_cookies)));

    private static async Task<HttpStatusCode> ReadyAsync(SharedDataApp app)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task ReconcileAsync(SharedDataApp app)
    {
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync(requestedBy: null);
    }

    private static async Task<T> QueryAsync<T>(SharedDataApp app, Func<MarketplaceDb, Task<T>> query)
    {
        using var scope = app.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<MarketplaceDb>());
    }

    /// <summary>Changes a balance behind the application's back, as someone with the database would (either provider).</summary>
    private async Task TamperAsync(long accountId, long delta)
    {
        using var scope = _first.Services.CreateScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Database.ExecuteSqlAsync($"UPDATE \"accounts\" SET \"Balance\" = \"Balance\" + {delta} WHERE \"Id\" = {accountId}"));
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }
}
