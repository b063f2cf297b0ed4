using System.Net;
using System.Text.Encodings.Web;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Payments.BankTransfer;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Failures;

/// <summary>
/// One table words every expected failure: whether an admin refuses something on a page or through the API, the status
/// and the message are the same (the page shows the problem's detail beside the form).
/// </summary>
public sealed class WhenAPageAndTheApiRefuseTheSameThing(BankTransferApp app) : IClassFixture<BankTransferApp>
{
    [Fact]
    public async Task A_second_refund_is_told_with_the_same_status_and_words()
    {
        using var admin = await app.AdminAsync();
        using var buyer = await ApiClient.RegisteredAsync(app);
        var order = (await buyer.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();
        var userPage = $"/Admin/Users/{await app.UserIdAsync(buyer.User.Email)}";
        using (var first = await admin.PostJsonAsync($"/api/admin/orders/{order}/refund", new { Reason = "Broken download" }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var api = await admin.PostJsonAsync($"/api/admin/orders/{order}/refund", new { Reason = "Clicked twice" });
        using var page = await WebShopper.PostFormAsync(admin.Http, userPage, $"{userPage}?handler=Refund", [new("orderId", order.ToString()), new("reason", "Clicked twice")]);

        var problem = await api.AssertProblemAsync(HttpStatusCode.Conflict, "already_refunded");
        Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);
        Assert.Contains(Alert(problem.GetProperty("detail").GetString()!), await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("1000.00", await buyer.AvailableAsync());
    }

    [Fact]
    public async Task Rejecting_a_bank_transfer_without_a_reason_is_told_with_the_same_status_and_words()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");
        const string Dashboard = "/Admin/BankTransfers";

        using var api = await admin.PostJsonAsync($"/api/admin/payments/{id}/reject", new { Reason = " " });
        using var page = await WebShopper.PostFormAsync(admin.Http, Dashboard, $"{Dashboard}?id={id}&handler=Reject", [new("reason", " ")]);

        var problem = await api.AssertProblemAsync(HttpStatusCode.BadRequest, "reason_required");
        Assert.Equal("reason", problem.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains(Alert(problem.GetProperty("detail").GetString()!), await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("pending", (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_decided_transfer_is_told_with_the_same_words_on_the_dashboard()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");
        const string Dashboard = "/Admin/BankTransfers";
        using (var rejected = await admin.PostJsonAsync($"/api/admin/payments/{id}/reject", new { Reason = "Nothing arrived" }))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }

        using var api = await admin.PostJsonAsync($"/api/admin/payments/{id}/confirm", new { ReceivedAmount = "1000.00" });
        using var page = await WebShopper.PostFormAsync(admin.Http, Dashboard, $"{Dashboard}?id={id}&handler=Confirm", [new("received_amount", "1000.00"), new("note", string.Empty)]);
        using var dashboard = await admin.GetAsync(Dashboard);

        var problem = await api.AssertProblemAsync(HttpStatusCode.Conflict, "already_rejected");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains(HtmlEncoder.Default.Encode(problem.GetProperty("detail").GetString()!), await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("1000.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task A_package_chosen_with_bank_transfer_is_told_with_the_same_status_and_words()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var before = await app.CountPaymentsAsync();

        using var api = await shopper.Api.PostJsonAsync("/api/payments/initiate", new { PackageId = "mega", Currency = "USD", Gateway = "bank" });
        using var page = await shopper.PostFormAsync("/Wallet", "/Wallet?handler=BuyCredits", [new("package_id", "mega"), new("amount", string.Empty), new("currency", "USD"), new("gateway", "bank")]);

        var problem = await api.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "package_not_offered");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains(Alert(problem.GetProperty("detail").GetString()!), await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.CountPaymentsAsync());
    }

    private static string Alert(string message) => $"<p role=\"alert\">{HtmlEncoder.Default.Encode(message)}</p>";
}
