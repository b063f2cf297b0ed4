using Marketplace.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.E2E.Payments;

/// <summary>The app on Kestrel with Stripe configured against a <see cref="FakeStripe"/>, whose webhooks reach the app over HTTP.</summary>
public sealed class StripeAppServer : AppServer
{
    private HttpClient? _webhooks;

    public FakeStripe Stripe { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        await base.InitializeAsync();
        _webhooks = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Stripe.WebhookClient = _webhooks;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Stripe.AppSettings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _webhooks?.Dispose();
        if (Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

[CollectionDefinition("stripe")]
public sealed class StripeCollection : ICollectionFixture<StripeAppServer>, ICollectionFixture<BrowserFixture>;
