using System.Net;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Admin;

public sealed class WhenSomeoneWhoIsNotAnAdminTries(AdminApp app) : IClassFixture<AdminApp>
{
    [Fact]
    public async Task A_shopper_gets_403_from_every_admin_endpoint_and_page_and_nothing_changes()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var userId = await app.UserIdAsync(shopper.User.Email);
        var order = (await shopper.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();

        using var adjust = await shopper.PostJsonAsync($"/api/admin/users/{userId}/adjust", new { Amount = "500.00", Reason = "me", IdempotencyKey = "k1" });
        using var refund = await shopper.PostJsonAsync($"/api/admin/orders/{order}/refund", new { Reason = "me" });
        using var users = await shopper.GetAsync("/Admin/Users");
        using var detail = await shopper.GetAsync($"/Admin/Users/{userId}");

        await adjust.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await refund.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, detail.StatusCode);
        Assert.Equal("987.50", await shopper.AvailableAsync());
        Assert.Equal("completed", (await shopper.GetJsonAsync($"/api/orders/{order}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Someone_signed_out_gets_401()
    {
        using var anonymous = ApiClient.For(app);

        using var adjust = await anonymous.PostJsonAsync($"/api/admin/users/{Guid.NewGuid()}/adjust", new { Amount = "1.00", Reason = "x", IdempotencyKey = "k" });

        await adjust.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
    }
}
