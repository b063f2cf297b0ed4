using System.Net;
using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Admin;

public sealed class WhenAnAdminRefundsAnOrder(AdminApp app) : IClassFixture<AdminApp>
{
    [Fact]
    public async Task A_digital_purchase_is_reversed_in_full_once_and_audited()
    {
        using var admin = await app.AdminAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var sellerBefore = await app.AvailableUnitsAsync(DemoCatalog.PixelForge);
        var revenueBefore = await app.BalanceUnitsAsync(AccountCodes.Revenue);
        var order = (await buyer.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();
        Assert.Equal("987.50", await buyer.AvailableAsync());

        using var refunded = await RefundAsync(admin, order, "Buyer was charged for a broken download");

        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        var body = await refunded.ReadJsonAsync();
        Assert.Equal("refunded", body.GetProperty("status").GetString());
        Assert.Equal("12.50", body.GetProperty("amount").GetString());
        Assert.Equal("1000.00", await buyer.AvailableAsync());
        Assert.Equal(sellerBefore, await app.AvailableUnitsAsync(DemoCatalog.PixelForge));
        Assert.Equal(revenueBefore, await app.BalanceUnitsAsync(AccountCodes.Revenue));
        Assert.Equal("refunded", (await buyer.GetJsonAsync($"/api/orders/{order}")).GetProperty("status").GetString());
        Assert.Equal("refund", (await buyer.HistoryAsync())[0].GetProperty("kind").GetString());
        var audit = Assert.Single(await app.AuditAsync($"order:{order}"));
        Assert.Equal("order.refund", audit.Action);
        Assert.Equal("Buyer was charged for a broken download", audit.Reason);

        using var again = await RefundAsync(admin, order, "Clicked twice");

        await again.AssertProblemAsync(HttpStatusCode.Conflict, "already_refunded");
        Assert.Equal("1000.00", await buyer.AvailableAsync());
        Assert.Single(await app.AuditAsync($"order:{order}"));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_seller_who_spent_the_proceeds_is_not_taken_negative_unless_the_platform_covers_their_share()
    {
        using var admin = await app.AdminAsync();
        using var seller = await ApiClient.RegisteredAsync(app);
        var sellerId = await app.UserIdAsync(seller.User.Email);
        var product = await app.ListProductAsync(sellerId, "40.00");
        using var buyer = await ApiClient.RegisteredAsync(app);
        var order = (await buyer.BuyAsync(product, "40.00")).GetProperty("order_id").GetGuid();
        Assert.Equal("1036.00", await seller.AvailableAsync());
        await WhenAnAdminAdjustsABalance.AdjustOkAsync(admin, sellerId, "-1030.00", "Seller withdrew their earnings");
        var adjustmentsBefore = await app.BalanceUnitsAsync(AccountCodes.Adjustments);

        using var refused = await RefundAsync(admin, order, "Item not as described");

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict, "seller_balance_insufficient");
        Assert.Equal("6.00", problem.GetProperty("seller_available").GetString());
        Assert.Equal("36.00", problem.GetProperty("seller_share").GetString());
        Assert.Equal("960.00", await buyer.AvailableAsync());
        Assert.Empty(await app.AuditAsync($"order:{order}"));

        using var covered = await admin.PostJsonAsync($"/api/admin/orders/{order}/refund", new { Reason = "Item not as described", SellerShareFromAdjustments = true });

        Assert.Equal(HttpStatusCode.OK, covered.StatusCode);
        Assert.True((await covered.ReadJsonAsync()).GetProperty("seller_share_from_adjustments").GetBoolean());
        Assert.Equal("1000.00", await buyer.AvailableAsync());
        Assert.Equal("6.00", await seller.AvailableAsync());
        Assert.Equal(adjustmentsBefore - 36_00, await app.BalanceUnitsAsync(AccountCodes.Adjustments));
        Assert.Contains("platform:adjustments", Assert.Single(await app.AuditAsync($"order:{order}")).Details, StringComparison.Ordinal);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_service_order_still_on_hold_is_refunded_by_releasing_the_hold()
    {
        using var admin = await app.AdminAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var order = (await buyer.BuyAsync(Intents.CodeReview, "60.00")).GetProperty("order_id").GetGuid();
        Assert.Equal(("940.00", "60.00"), await buyer.BalanceAsync());

        using var refunded = await RefundAsync(admin, order, "Seller unreachable");

        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        Assert.Equal(("1000.00", "0.00"), await buyer.BalanceAsync());
        Assert.Equal("refunded", (await buyer.GetJsonAsync($"/api/orders/{order}")).GetProperty("status").GetString());
        Assert.Equal("hold_release", (await buyer.HistoryAsync())[0].GetProperty("kind").GetString());
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Transfers_and_unknown_orders_are_refused_and_a_reason_is_required()
    {
        using var admin = await app.AdminAsync();
        using var sender = await ApiClient.RegisteredAsync(app);
        var recipient = await ApiClient.RegisterVerifiedUserAsync(app);
        using var transferred = await sender.TransactAsync(Intents.Transfer(recipient.Email, "5.00"));
        var transfer = (await transferred.ReadJsonAsync()).GetProperty("order_id").GetGuid();
        var order = (await sender.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();

        using var notRefundable = await RefundAsync(admin, transfer, "Sent by mistake");
        using var unknown = await RefundAsync(admin, Guid.NewGuid(), "Whatever");
        using var noReason = await RefundAsync(admin, order, " ");

        await notRefundable.AssertProblemAsync(HttpStatusCode.Conflict, "not_refundable");
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "order_not_found");
        await noReason.AssertProblemAsync(HttpStatusCode.BadRequest, "reason_required");
        Assert.Equal("982.50", await sender.AvailableAsync());
    }

    private static Task<HttpResponseMessage> RefundAsync(ApiClient admin, Guid orderId, string reason) =>
        admin.PostJsonAsync($"/api/admin/orders/{orderId}/refund", new { Reason = reason });
}
