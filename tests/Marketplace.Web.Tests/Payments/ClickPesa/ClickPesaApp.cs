using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.ClickPesa;

/// <summary>
/// The app with ClickPesa configured against a <see cref="FakeClickPesa"/>, checksum key included, quick inbox
/// retries (a sweep every second), and payment expiry left to the tests that call it (its schedule never fires).
/// </summary>
public sealed class ClickPesaApp : MarketplaceApp, IAsyncLifetime
{
    public FakeClickPesa ClickPesa { get; private set; } = null!;

    public async Task InitializeAsync() => ClickPesa = await FakeClickPesa.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await ClickPesa.DisposeAsync();
    }

    /// <summary>Starts a ClickPesa top-up over the API and returns the payment id and its order reference.</summary>
    public async Task<(Guid PaymentId, string OrderReference)> StartTopUpAsync(ApiClient client, string amount = "25000", string currency = "TZS")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = amount, Currency = currency, Gateway = "clickpesa" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payment_id").GetGuid();
        using var scope = Services.CreateScope();
        var payment = await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Payments.AsNoTracking().SingleAsync(p => p.Id == id);
        return (id, payment.ProviderReference!);
    }

    public async Task<int> TopUpCountAsync(Guid paymentId)
    {
        using var scope = Services.CreateScope();
        var key = PaymentService.TopUpKey(paymentId);
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().LedgerTransactions.CountAsync(t => t.IdempotencyKey == key);
    }

    public async Task<List<WebhookInboxItem>> InboxAsync()
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().WebhookInbox.AsNoTracking().Where(i => i.Gateway == "clickpesa").OrderBy(i => i.Id).ToListAsync();
    }

    public async Task<WebhookInboxItem> InboxItemForAsync(string orderReference) =>
        (await InboxAsync()).Last(i => i.Payload.Contains(orderReference, StringComparison.Ordinal));

    /// <summary>Polls until <paramref name="done"/> holds (the inbox job runs in the background); fails after 15 s.</summary>
    public static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(50);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("CLICKPESA_CLIENT_ID", FakeClickPesa.ClientId);
        builder.UseSetting("CLICKPESA_API_KEY", FakeClickPesa.ApiKey);
        builder.UseSetting("CLICKPESA_CHECKSUM_KEY", FakeClickPesa.ChecksumKey);
        builder.UseSetting("CLICKPESA_API_BASE", ClickPesa.ApiBase.AbsoluteUri);
        builder.UseSetting("Webhooks:RetryBaseDelay", "00:00:00.200");
        builder.UseSetting("Webhooks:RetryMaxDelay", "00:00:00.500");
        builder.UseSetting("Webhooks:SweepCron", "* * * * * *");
        // Every open payment is stale at once, but only a test's own ExpireStaleAsync call expires anything.
        builder.UseSetting("Payments:ExpireAfter", "00:00:00.001");
        builder.UseSetting("Payments:ExpiryCron", "0 0 31 2 *");
    }
}
