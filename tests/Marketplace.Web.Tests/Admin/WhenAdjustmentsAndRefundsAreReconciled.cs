using System.Net;
using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Admin;

public sealed class WhenAdjustmentsAndRefundsAreReconciled(AdminApp app) : IClassFixture<AdminApp>
{
    [Fact]
    public async Task Every_kind_of_adjustment_and_refund_leaves_reconciliation_clean()
    {
        using var admin = await app.AdminAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var buyerId = await app.UserIdAsync(buyer.User.Email);
        using var seller = await ApiClient.RegisteredAsync(app);
        var sellerId = await app.UserIdAsync(seller.User.Email);
        var gridWorksBefore = await app.AvailableUnitsAsync(DemoCatalog.GridWorks);
        var revenueBefore = await app.BalanceUnitsAsync(AccountCodes.Revenue);

        await WhenAnAdminAdjustsABalance.AdjustOkAsync(admin, buyerId, "150.00", "Goodwill");
        await WhenAnAdminAdjustsABalance.AdjustOkAsync(admin, buyerId, "-20.00", "Correction");
        var digital = await BuyAsync(buyer, Intents.IconPack, "12.50");
        var onHold = await BuyAsync(buyer, Intents.CodeReview, "60.00");
        var delivered = await BuyAsync(buyer, Intents.CodeReview, "60.00");
        using (var scope = app.Services.CreateScope())
        {
            Assert.IsType<OrderTransitionResult.Done>(await scope.ServiceProvider.GetRequiredService<SellerService>().DeliverAsync(DemoCatalog.GridWorks, delivered));
        }

        var ownProduct = await app.ListProductAsync(sellerId, "30.00");
        var spent = await BuyAsync(buyer, ownProduct, "30.00");
        await WhenAnAdminAdjustsABalance.AdjustOkAsync(admin, sellerId, "-1027.00", "Seller payout");

        await RefundOkAsync(admin, digital);
        await RefundOkAsync(admin, onHold);
        await RefundOkAsync(admin, delivered);
        using (var refused = await admin.PostJsonAsync($"/api/admin/orders/{spent}/refund", new { Reason = "Not delivered" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }

        await RefundOkAsync(admin, spent, coverFromAdjustments: true);

        Assert.Equal(("1130.00", "0.00"), await buyer.BalanceAsync());
        Assert.Equal(gridWorksBefore, await app.AvailableUnitsAsync(DemoCatalog.GridWorks));
        Assert.Equal(revenueBefore, await app.BalanceUnitsAsync(AccountCodes.Revenue));
        var run = await app.ReconcileAsync();
        Assert.True(run.GetProperty("discrepancy_count").GetInt32() == 0, run.ToString());
        Assert.Equal("clean", run.GetProperty("status").GetString());
        using var client = app.CreateBrowserClient();
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static async Task<Guid> BuyAsync(ApiClient buyer, Guid product, string amount) =>
        (await buyer.BuyAsync(product, amount)).GetProperty("order_id").GetGuid();

    private static async Task RefundOkAsync(ApiClient admin, Guid order, bool coverFromAdjustments = false)
    {
        using var response = await admin.PostJsonAsync($"/api/admin/orders/{order}/refund", new { Reason = "Reconciliation round trip", SellerShareFromAdjustments = coverFromAdjustments });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Refund answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
