using System.Net;
using Marketplace.Web.Hosting;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Jobs;

public sealed class WhenOpeningTheJobsDashboard(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task An_admin_sees_hangfire_under_its_own_content_security_policy()
    {
        using var admin = await app.AdminAsync();

        using var response = await admin.Http.GetAsync(new Uri("/admin/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Marketplace jobs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(SecurityHeadersExtensions.JobsDashboardPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task An_admin_sees_the_recurring_jobs_with_their_utc_schedules()
    {
        using var admin = await app.AdminAsync();

        var html = await admin.Http.GetStringAsync(new Uri("/admin/jobs/recurring", UriKind.Relative));

        foreach (var id in new[] { "webhook-inbox", "payment-expiry", "hold-expiry", "reconciliation" })
        {
            Assert.Contains(id, html, StringComparison.Ordinal);
        }

        Assert.Contains("0 2 * * *", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shopper_gets_the_apps_403()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.GetAsync("/admin/jobs");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("You are not allowed to see that page", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shopper_cannot_reach_the_dashboards_commands_either()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);

        using var response = await shopper.Http.PostAsync(new Uri("/admin/jobs/recurring/trigger", UriKind.Relative), new FormUrlEncodedContent([new("jobs[]", "reconciliation")]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_log_in()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/admin/jobs/recurring", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login?ReturnUrl=%2Fadmin%2Fjobs%2Frecurring", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Other_pages_keep_the_strict_policy()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(SecurityHeadersExtensions.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }
}
