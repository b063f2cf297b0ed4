using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Admin;

[Collection("app")]
public sealed class WhenAnAdminRunsReconciliation(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    public const string AdminEmail = "reconciliation-admin@example.test";

    [Fact]
    public async Task Run_now_lists_a_clean_run_with_what_it_checked()
    {
        var admin = new Shopper(Page, AdminEmail);
        await admin.RegisterAsync();
        await admin.VerifyEmailAsync();
        await App.GrantAdminAsync(AdminEmail);
        await Page.GotoAsync("/Wallet");

        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Site" }).GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Admin sections" }).GetByRole(AriaRole.Link, new() { Name = "Reconciliation" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("no discrepancies");
        var runs = Page.GetByRole(AriaRole.Table, new() { Name = "Reconciliation runs" });
        await Expect(runs.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync($"admin:{AdminEmail}");
        await Expect(runs.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("Clean");
        await Expect(Page.GetByText("Everything adds up.")).ToBeVisibleAsync();
        // The run is followed by a checkpoint that names it, ready to copy elsewhere.
        await Expect(Page.GetByLabel("Latest checkpoint")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("reconciliation_run_id"));
    }
}
