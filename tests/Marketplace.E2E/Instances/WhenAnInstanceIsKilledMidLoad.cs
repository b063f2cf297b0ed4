using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Ledger;

namespace Marketplace.E2E.Instances;

/// <summary>
/// kill -9 of one instance while shoppers buy through the balancer: the other instance carries on, and every purchase
/// that was acknowledged (201 with its order) is there afterwards, in a ledger that reconciles clean.
/// </summary>
[Collection(ScaledShopCollection.Name)]
public sealed class WhenAnInstanceIsKilledMidLoad(ScaledShop shop) : IClassFixture<ScaledShop>
{
    private const int Shoppers = 8;
    private const int AcknowledgedBeforeKill = 10;
    private const int AttemptsPerShopper = 20;

    [Fact]
    public async Task The_other_carries_on_and_no_acknowledged_purchase_is_lost()
    {
        var shoppers = new List<ShopClient>();
        for (var i = 0; i < Shoppers; i++)
        {
            shoppers.Add(await shop.ShopperAsync());
        }

        var acknowledged = new ConcurrentBag<(ShopClient Shopper, Guid OrderId, bool AfterKill)>();
        var unanswered = new ConcurrentBag<HttpStatusCode>();
        var killed = 0;
        var victim = shop.Instances[0];

        await Task.WhenAll(shoppers.Select(async shopper =>
        {
            for (var attempt = 0; attempt < AttemptsPerShopper; attempt++)
            {
                var afterKill = Volatile.Read(ref killed) == 1;
                using var response = await shopper.BuyAsync(ShopClient.IconPack, "12.50");
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add((shopper, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order_id").GetGuid(), afterKill));
                    if (acknowledged.Count >= AcknowledgedBeforeKill && Interlocked.CompareExchange(ref killed, 1, 0) == 0)
                    {
                        victim.KillHard();
                    }
                }
                else if ((await response.Content.ReadAsStringAsync()).Contains("insufficient_funds", StringComparison.Ordinal))
                {
                    return;
                }
                else
                {
                    // The balancer's 502 for a request the dying instance never answered: not acknowledged, so not promised.
                    unanswered.Add(response.StatusCode);
                }
            }
        }));

        Assert.True(victim.HasExited, "app1 was never killed: " + shop.Logs);
        Assert.False(shop.Instances[1].HasExited);
        Assert.True(acknowledged.Count(a => a.AfterKill) >= AcknowledgedBeforeKill, $"Only {acknowledged.Count(a => a.AfterKill)} purchases were acknowledged after the kill; unanswered: {string.Join(", ", unanswered)}\n{shop.Logs}");
        Assert.All(unanswered, status => Assert.True(status is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout, $"answered {(int)status}"));
        foreach (var shopper in shoppers)
        {
            var orders = (await shopper.GetJsonAsync("/api/orders")).GetProperty("items").EnumerateArray().Select(o => o.GetProperty("order_id").GetGuid()).ToHashSet();
            Assert.All(acknowledged.Where(a => a.Shopper == shopper), a => Assert.Contains(a.OrderId, orders));
            // A purchase cut off unanswered may have committed before the kill; then it is an order and its credits are spent, never half of it.
            Assert.Equal(decimal.Parse(ScaledShop.WelcomeGrant, System.Globalization.CultureInfo.InvariantCulture) - (12.50m * orders.Count), decimal.Parse(await shopper.AvailableAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(ReconciliationStatus.Clean, (await shop.ReconcileAsync()).Status);
        shoppers.ForEach(s => s.Dispose());
    }
}
