using Marketplace.E2E.Hosting;
using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Admin;

[Collection("app")]
public sealed class WhenAnAdminOpensTheJobsDashboard(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    public const string AdminEmail = "jobs-admin@example.test";

    [Fact]
    public async Task Hangfire_renders_triggers_a_job_and_shows_its_history_with_no_csp_violation()
    {
        var violations = await CspViolations.WatchAsync(Page);
        var admin = new Shopper(Page, AdminEmail);
        await admin.RegisterAsync();
        await admin.VerifyEmailAsync();
        await App.GrantAdminAsync(AdminEmail);
        await Page.GotoAsync("/Wallet");

        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Site" }).GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Admin sections" }).GetByRole(AriaRole.Link, new() { Name = "Jobs" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        // Its graphs are drawn by Chart.js, whose own <style> injection the dashboard's CSP would refuse.
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Realtime Graph" })).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Recurring Jobs" }).ClickAsync();
        var reconciliation = Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "reconciliation" });
        await Expect(reconciliation).ToContainTextAsync("0 2 * * *");
        await reconciliation.GetByRole(AriaRole.Checkbox).CheckAsync();
        // An AJAX post: it only works with the app's antiforgery token, which Hangfire sends in the app's header.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Trigger now" }).ClickAsync();
        // Once the post succeeded Hangfire reloads the page, and the row links to the run it started.
        var lastRun = reconciliation.GetByRole(AriaRole.Link);
        await Expect(lastRun).ToBeVisibleAsync();

        await lastRun.ClickAsync();
        var succeeded = Page.GetByRole(AriaRole.Heading, new() { Name = "Succeeded" });
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Enqueued" })).ToBeVisibleAsync();
        for (var attempt = 0; attempt < 100 && !await succeeded.IsVisibleAsync(); attempt++)
        {
            await Page.WaitForTimeoutAsync(200);
            await Page.ReloadAsync();
        }

        await Expect(succeeded).ToBeVisibleAsync();

        await CspViolations.SettleAsync(Page);
        Assert.Empty(violations.Seen);
    }
}
