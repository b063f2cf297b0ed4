using System.Net;
using Hangfire;
using Marketplace.Core.Catalog;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Orders;

/// <summary>A service order the seller never delivers: after the hold's expiry the scheduled job returns the credits.</summary>
public sealed class WhenAServiceHoldExpires(AppWithTestClock app) : IClassFixture<AppWithTestClock>
{
    [Fact]
    public async Task The_expiry_job_releases_the_credits_and_marks_the_order_expired()
    {
        var (seller, product) = await SellerWithServiceAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var orderId = await BuyAsync(buyer, product);
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        TriggerHoldExpiryJob();

        Assert.Equal("expired", await PollStatusAsync(buyer, orderId, "expired"));
        Assert.Equal(("1000.00", "0.00"), await buyer.BalanceAsync());
        using var deliver = await seller.PostAsync($"/api/seller/orders/{orderId}/deliver", body: null, contentType: null);
        await deliver.AssertProblemAsync(HttpStatusCode.Conflict, "order_expired");
        Assert.Equal("1000.00", await seller.AvailableAsync());
        await app.AssertLedgerConsistentAsync();
        seller.Dispose();
    }

    [Fact]
    public async Task A_hold_not_yet_expired_is_left_alone_by_the_job()
    {
        var (seller, product) = await SellerWithServiceAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var orderId = await BuyAsync(buyer, product);
        app.Clock.Advance(TimeSpan.FromDays(6));

        TriggerHoldExpiryJob();
        using var delivered = await seller.PostAsync($"/api/seller/orders/{orderId}/deliver", body: null, contentType: null);

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("delivered", (await buyer.GetJsonAsync($"/api/orders/{orderId}")).GetProperty("status").GetString());
        Assert.Equal("1054.00", await seller.AvailableAsync());
        seller.Dispose();
    }

    [Fact]
    public async Task Delivering_after_the_expiry_but_before_the_job_runs_releases_instead_of_paying()
    {
        var (seller, product) = await SellerWithServiceAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var orderId = await BuyAsync(buyer, product);
        app.Clock.Advance(TimeSpan.FromDays(8));

        using var deliver = await seller.PostAsync($"/api/seller/orders/{orderId}/deliver", body: null, contentType: null);

        await deliver.AssertProblemAsync(HttpStatusCode.Conflict, "order_expired");
        Assert.Equal(("1000.00", "0.00"), await buyer.BalanceAsync());
        Assert.Equal("1000.00", await seller.AvailableAsync());
        seller.Dispose();
    }

    private async Task<string> BuyAsync(ApiClient buyer, Guid product)
    {
        using var response = await buyer.TransactAsync(Intents.Spend(product, "60.00", timestamp: app.Clock.GetUtcNow().ToUnixTimeMilliseconds()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("order_id").GetString()!;
    }

    // Jobs/JobSchedule registers the recurring job as "hold-expiry".
    private string TriggerHoldExpiryJob() => app.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob("hold-expiry");

    /// <summary>The job runs on a Hangfire worker; wait (bounded) for its outcome rather than for time.</summary>
    private static async Task<string?> PollStatusAsync(ApiClient buyer, string orderId, string expected)
    {
        string? status = null;
        for (var attempt = 0; attempt < 200 && status != expected; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(50);
            }

            status = (await buyer.GetJsonAsync($"/api/orders/{orderId}")).GetProperty("status").GetString();
        }

        return status;
    }

    private async Task<(ApiClient Seller, Guid ProductId)> SellerWithServiceAsync()
    {
        var seller = await ApiClient.RegisteredAsync(app);
        return (seller, await app.ListProductAsync(await app.UserIdAsync(seller.User.Email), "60.00", ProductKind.Service));
    }
}
