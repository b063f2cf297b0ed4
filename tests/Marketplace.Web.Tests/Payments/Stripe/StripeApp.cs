using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.Stripe;

/// <summary>
/// The app configured with Stripe keys pointing at a <see cref="FakeStripe"/> it starts (or shares, for restart tests),
/// with the fake's webhooks delivered through the app's TestServer.
/// </summary>
public class StripeApp : MarketplaceApp, IAsyncLifetime
{
    private readonly bool _ownsFake;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public StripeApp()
        : this(settings: null)
    {
    }

    protected StripeApp(IReadOnlyDictionary<string, string>? settings)
    {
        _ownsFake = true;
        _settings = settings ?? new Dictionary<string, string>();
    }

    private StripeApp(DirectoryInfo dataDirectory, FakeStripe stripe, IReadOnlyDictionary<string, string>? settings)
        : base(dataDirectory, ownsDataDirectory: false)
    {
        Stripe = stripe;
        _settings = settings ?? new Dictionary<string, string>();
    }

    /// <summary>An app on a data directory and fake the caller owns, so a second one can start on the same files (a restart).</summary>
    public static async Task<StripeApp> StartOnAsync(DirectoryInfo dataDirectory, FakeStripe stripe, IReadOnlyDictionary<string, string>? settings = null)
    {
        var app = new StripeApp(dataDirectory, stripe, settings);
        await app.InitializeAsync();
        return app;
    }

    public FakeStripe Stripe { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe ??= await FakeStripe.StartAsync();
        Stripe.WebhookClient = CreateClient();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsFake && Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Stripe.AppSettings.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider);
    }

    public Task<int> TopUpCountAsync(Guid paymentId) => InScopeAsync(s =>
    {
        var key = PaymentService.TopUpKey(paymentId);
        return s.GetRequiredService<MarketplaceDb>().LedgerTransactions.CountAsync(t => t.IdempotencyKey == key);
    });

    public Task<int> InboxCountAsync() => InScopeAsync(s => s.GetRequiredService<MarketplaceDb>().WebhookInbox.CountAsync());

    public Task<WebhookInboxItem?> InboxRowAsync(string eventId) => InScopeAsync(s =>
        s.GetRequiredService<MarketplaceDb>().WebhookInbox.AsNoTracking().SingleOrDefaultAsync(i => i.Gateway == "stripe" && i.EventId == eventId));

    /// <summary>Polls until the inbox row for <paramref name="eventId"/> is no longer pending or processing.</summary>
    public Task<WebhookInboxItem?> SettledInboxRowAsync(string eventId) => Eventually.PollAsync(
        () => InboxRowAsync(eventId),
        row => row is { Status: not (WebhookStatus.Pending or WebhookStatus.Processing) },
        $"webhook {eventId} to be processed");
}

public static class StripeApiClientExtensions
{
    /// <summary>Starts a Stripe top-up over the API and returns the payment id and the checkout URL.</summary>
    public static async Task<(Guid PaymentId, Uri PaymentUrl)> StartStripeTopUpAsync(this Api.ApiClient client, string amount = "25.00", string currency = "USD")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = amount, Currency = currency, Gateway = "stripe" });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("payment_id").GetGuid(), new Uri(body.GetProperty("payment_url").GetString()!));
    }

    public static async Task<string> PaymentStatusAsync(this Api.ApiClient client, Guid paymentId)
    {
        ArgumentNullException.ThrowIfNull(client);
        return (await client.GetJsonAsync($"/api/payments/{paymentId}")).GetProperty("status").GetString()!;
    }

    public static Task<string> PaymentStatusBecomesAsync(this Api.ApiClient client, Guid paymentId, string status) =>
        Eventually.PollAsync(() => client.PaymentStatusAsync(paymentId), s => s == status, $"payment {paymentId} to be {status}");
}
