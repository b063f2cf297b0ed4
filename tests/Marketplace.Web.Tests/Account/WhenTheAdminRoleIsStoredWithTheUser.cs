using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Identity;
using Marketplace.Web.Tests.Admin;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Wallet;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Account;

/// <summary>An app still configured the old way: the setting must make nobody admin.</summary>
public sealed class AppWithLegacyAdminEmails : MarketplaceApp
{
    public const string ClaimedAddress = "owner@example.test";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ADMIN_EMAILS", ClaimedAddress);
    }
}

public sealed class WhenAnAddressConfigurationUsedToNameRegisters(AppWithLegacyAdminEmails app) : IClassFixture<AppWithLegacyAdminEmails>
{
    [Fact]
    public async Task It_is_not_an_admin_and_the_admin_api_refuses_it()
    {
        using var stranger = ApiClient.For(app);

        using var registered = await stranger.RegisterAsync(TestUser.New(AppWithLegacyAdminEmails.ClaimedAddress));
        using var adjust = await stranger.PostJsonAsync($"/api/admin/users/{await app.UserIdAsync(AppWithLegacyAdminEmails.ClaimedAddress)}/adjust", new { Amount = "999999999999999.99", Reason = "mine now", IdempotencyKey = "k1" });
        using var reconcile = await stranger.PostAsync("/api/admin/reconciliation/run", content: null);

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.False((await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("is_admin").GetBoolean());
        await adjust.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await reconcile.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("1000.00", await stranger.AvailableAsync());
    }
}

public sealed class WhenTheAdminRoleIsGrantedAndRevoked(AdminApp app) : IClassFixture<AdminApp>
{
    [Fact]
    public async Task Granting_an_unverified_account_is_refused_and_changes_nothing()
    {
        using var user = await ApiClient.RegisteredAsync(app);

        var result = await GrantAsync(user.User.Email);
        using var reconcile = await user.PostAsync("/api/admin/reconciliation/run", content: null);

        Assert.Equal(new RoleChangeResult.Unverified(user.User.Email), result);
        await reconcile.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Empty(await app.AuditAsync($"user:{await app.UserIdAsync(user.User.Email)}"));
    }

    [Fact]
    public async Task Verify_then_grant_and_the_same_session_can_use_the_admin_api_at_once()
    {
        using var user = await ApiClient.RegisteredAsync(app);
        await app.VerifyEmailAsync(user.User.Email);

        var result = await GrantAsync(user.User.Email);
        using var reconcile = await user.PostAsync("/api/admin/reconciliation/run", content: null);

        Assert.True(result is RoleChangeResult.Done { Changed: true }, $"{result}");
        Assert.Equal(HttpStatusCode.OK, reconcile.StatusCode);
        var audit = Assert.Single(await app.AuditAsync($"user:{await app.UserIdAsync(user.User.Email)}"));
        Assert.Equal(AdminRoles.GrantAction, audit.Action);
        Assert.StartsWith("command line (", audit.AdminEmail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_revoke_the_same_cookie_gets_403_on_the_next_request()
    {
        using var user = await ApiClient.RegisteredAsync(app);
        await app.VerifyEmailAsync(user.User.Email);
        await GrantAsync(user.User.Email);
        using (var before = await user.PostAsync("/api/admin/reconciliation/run", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var scope = app.Services.CreateScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<AdminRoles>().RevokeAsync(AdminRoles.CommandLine, user.User.Email) is RoleChangeResult.Done { Changed: true });
        }

        using var api = await user.PostAsync("/api/admin/reconciliation/run", content: null);
        using var page = await user.GetAsync("/Admin/BankTransfers");

        await api.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal([AdminRoles.GrantAction, AdminRoles.RevokeAction], (await app.AuditAsync($"user:{await app.UserIdAsync(user.User.Email)}")).Select(e => e.Action));
    }

    [Fact]
    public async Task An_admin_grants_and_revokes_on_the_users_page_and_both_are_audited()
    {
        using var admin = await app.AdminAsync();
        using var user = await ApiClient.RegisteredAsync(app);
        var userId = await app.UserIdAsync(user.User.Email);
        var page = $"/Admin/Users/{userId}";

        using var unverified = await WebShopper.PostFormAsync(admin.Http, page, $"{page}?handler=GrantAdmin", []);
        await app.VerifyEmailAsync(user.User.Email);
        using var granted = await WebShopper.PostFormAsync(admin.Http, page, $"{page}?handler=GrantAdmin", []);
        using var asAdmin = await user.GetAsync("/Admin");
        using var revoked = await WebShopper.PostFormAsync(admin.Http, page, $"{page}?handler=RevokeAdmin", []);
        using var afterRevoke = await user.GetAsync("/Admin");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unverified.StatusCode);
        Assert.Contains("has not verified its email address", await unverified.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, afterRevoke.StatusCode);
        var audit = await app.AuditAsync($"user:{userId}");
        Assert.Equal([AdminRoles.GrantAction, AdminRoles.RevokeAction], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(MarketplaceApp.AdminEmail, e.AdminEmail));
    }

    private async Task<RoleChangeResult> GrantAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AdminRoles>().GrantAsync(AdminRoles.CommandLine, email);
    }
}
