using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Testing;

namespace Marketplace.E2E.Instances;

/// <summary>Two app processes on one database behind nginx (<see cref="ScaledShop"/>): what one does, the other honours.</summary>
[Collection(ScaledShopCollection.Name)]
public sealed class WhenAShopRunsOnTwoInstances(ScaledShop shop) : IClassFixture<ScaledShop>
{
    [Fact]
    public async Task A_shopper_registers_and_buys_through_the_balancer_and_the_receipt_verifies_with_the_published_key()
    {
        using var shopper = await shop.ShopperAsync();

        using var bought = await shopper.BuyAsync(ShopClient.IconPack, "12.50");

        await ShopClient.EnsureAsync(bought, HttpStatusCode.Created, "buying");
        var body = await bought.Content.ReadFromJsonAsync<JsonElement>();
        var key = (await shopper.GetJsonAsync("/api/receipts/public-key")).GetProperty("public_key").GetString()!;
        Assert.True(StrictBase64Url.TryDecode(key, out var publicKey));
        Assert.True(StrictBase64Url.TryDecode(body.GetProperty("receipt_signature").GetString()!, out var signature));
        Assert.True(Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(body.GetProperty("receipt").GetString()!), signature));
        Assert.Equal("50.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task Twelve_spends_at_once_from_a_wallet_that_holds_five_win_exactly_five_across_both_instances()
    {
        using var shopper = await shop.ShopperAsync();
        var before = shop.Instances.Select(i => Count(i.Output, "/api/wallet/transact")).ToList();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await shopper.BuyAsync(ShopClient.IconPack, "12.50");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.Equal(5, attempts.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(attempts.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Contains("insufficient_funds", a.Body, StringComparison.Ordinal));
        Assert.Equal("0.00", await shopper.AvailableAsync());
        // Round-robin put the spends on both instances, so the five came from two processes racing on one database.
        Assert.All(shop.Instances.Select((i, n) => Count(i.Output, "/api/wallet/transact") - before[n]), served => Assert.True(served > 0, shop.Logs));
        Assert.Equal(ReconciliationStatus.Clean, (await shop.ReconcileAsync()).Status);
    }

    [Fact]
    public async Task A_stripe_webhook_delivered_to_one_instance_and_redelivered_to_the_other_credits_once()
    {
        using var shopper = await shop.ShopperAsync();
        using var initiated = await shopper.PostAsync("/api/payments/initiate", new { amount = "25.00", currency = "USD", gateway = "stripe" });
        await ShopClient.EnsureAsync(initiated, HttpStatusCode.Created, "starting a Stripe top-up");
        var paymentId = (await initiated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payment_id").GetGuid();
        var session = shop.Stripe.SessionFor(paymentId);
        session.Status = "complete";
        session.PaymentStatus = "paid";
        var payload = FakeStripe.EventJson(StripeEvents.Completed, session, shop.Stripe.NewEventId());

        using var toFirst = ScaledShop.Direct(shop.Instances[0]);
        shop.Stripe.WebhookClient = toFirst;
        using var delivered = await shop.Stripe.SendEventAsync(payload);
        using var toSecond = ScaledShop.Direct(shop.Instances[1]);
        shop.Stripe.WebhookClient = toSecond;
        using var redelivered = await shop.Stripe.SendEventAsync(payload);

        await ShopClient.EnsureAsync(delivered, HttpStatusCode.OK, "the delivery to app1");
        await ShopClient.EnsureAsync(redelivered, HttpStatusCode.OK, "the redelivery to app2");
        Assert.False((await delivered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.True((await redelivered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        await PollAsync(async () => (await shopper.GetJsonAsync($"/api/payments/{paymentId}")).GetProperty("status").GetString(), s => s == "succeeded", "the payment to succeed");
        Assert.Equal("87.50", await shopper.AvailableAsync());
        Assert.Equal(ReconciliationStatus.Clean, (await shop.ReconcileAsync()).Status);
    }

    internal static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Reads until <paramref name="done"/> (the webhook is applied by a background drain), failing after a minute.</summary>
    internal static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; last seen: {value}");
            await Task.Delay(100);
        }
    }
}

/// <summary>The scaled-shop classes start several processes each: one at a time, beside nothing else of the suite.</summary>
[CollectionDefinition(Name)]
public sealed class ScaledShopCollection
{
    public const string Name = "scaled shop";
}
