using System.Net;
using Marketplace.Core.Admin;
using Marketplace.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Admin;

public sealed class WhenOpeningTheAdminArea(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Theory]
    [InlineData("/Admin")]
    [InlineData("/Admin/Audit")]
    public async Task A_shopper_is_refused(string path)
    {
        using var shopper = await ApiClient.RegisteredAsync(app);

        using var response = await shopper.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("You are not allowed to see that page", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_signed_out_is_sent_to_log_in()
    {
        using var anonymous = ApiClient.For(app);

        using var response = await anonymous.GetAsync("/Admin/Audit");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task An_admin_sees_recorded_actions_in_the_audit_log()
    {
        using var admin = await app.AdminAsync();
        using (var scope = app.Services.CreateScope())
        {
            var log = scope.ServiceProvider.GetRequiredService<AuditLog>();
            log.Add(new AdminActor(Guid.NewGuid(), "admin@example.test"), "test.action", "user:audit-test", "checking the page", new { amount = "12.50" });
            await scope.ServiceProvider.GetRequiredService<Core.Persistence.MarketplaceDb>().SaveChangesAsync();
        }

        using var response = await admin.GetAsync("/Admin/Audit");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("test.action", html, StringComparison.Ordinal);
        Assert.Contains("checking the page", html, StringComparison.Ordinal);
        Assert.Contains("12.50", html, StringComparison.Ordinal);
    }
}
