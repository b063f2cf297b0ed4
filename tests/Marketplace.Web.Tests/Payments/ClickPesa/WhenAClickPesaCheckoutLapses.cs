using Marketplace.Core.Payments;
using Marketplace.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.ClickPesa;

public sealed class WhenAClickPesaCheckoutLapses(ClickPesaApp app) : IClassFixture<ClickPesaApp>
{
    [Fact]
    public async Task An_unpaid_checkout_expires_and_a_paid_one_whose_webhook_never_came_is_credited_once()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (unpaid, unpaidReference) = await app.StartTopUpAsync(shopper);
        var (paid, paidReference) = await app.StartTopUpAsync(shopper, "10.00", "USD");
        app.ClickPesa.SetStatus(unpaidReference, "PENDING");
        app.ClickPesa.SetStatus(paidReference, "SUCCESS");

        var expired = await ExpireAsync();
        await ExpireAsync();

        Assert.Equal(1, expired);
        Assert.Equal("expired", (await shopper.GetJsonAsync($"/api/payments/{unpaid}")).GetProperty("status").GetString());
        await ClickPesaApp.UntilAsync(async () => await app.TopUpCountAsync(paid) == 1, "the paid checkout to be credited");
        Assert.Equal("succeeded", (await shopper.GetJsonAsync($"/api/payments/{paid}")).GetProperty("status").GetString());
        Assert.Equal("1010.00", await shopper.AvailableAsync());
        Assert.Single(await app.InboxAsync(), i => i.EventId.Contains("expiry-check", StringComparison.Ordinal));
    }

    private async Task<int> ExpireAsync()
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PaymentExpiry>().ExpireStaleAsync();
    }
}
