using System.Diagnostics;
using System.Net;
using Marketplace.Core.Identity;
using Marketplace.Web.Tests.Admin;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Account;

/// <summary>
/// <c>dotnet Marketplace.Web.dll admin …</c> as the operator runs it: a separate process with the app's
/// configuration, against the database the running app (this fixture) uses.
/// </summary>
public sealed class WhenRunningTheAdminCommand(AdminApp app) : IClassFixture<AdminApp>
{
    [Fact]
    public async Task An_unknown_or_unverified_email_is_refused_with_a_clear_message_and_exit_code_1()
    {
        using var user = await ApiClient.RegisteredAsync(app);

        var unknown = await RunAsync("admin", "grant", "nobody@example.test");
        var unverified = await RunAsync("admin", "grant", user.User.Email);

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("There is no account with the email nobody@example.test", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(1, unverified.ExitCode);
        Assert.Contains($"{user.User.Email} has not verified its email address", unverified.Error, StringComparison.Ordinal);
        using var reconcile = await user.PostAsync("/api/admin/reconciliation/run", content: null);
        await reconcile.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Grant_list_and_revoke_work_beside_the_running_app_and_are_audited()
    {
        var user = await ApiClient.RegisterVerifiedUserAsync(app);

        var granted = await RunAsync("admin", "grant", user.Email.ToUpperInvariant());
        var again = await RunAsync("admin", "grant", user.Email);
        var listed = await RunAsync("admin", "list");
        using var signedIn = ApiClient.For(app);
        using (var login = await signedIn.LoginAsync(user))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using (var reconcile = await signedIn.PostAsync("/api/admin/reconciliation/run", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, reconcile.StatusCode);
        }

        var revoked = await RunAsync("admin", "revoke", user.Email);

        Assert.True(granted.ExitCode == 0, granted.Error);
        Assert.Contains($"Granted the admin role to {user.Email}", granted.Output, StringComparison.Ordinal);
        Assert.Contains("already has the admin role; nothing changed", again.Output, StringComparison.Ordinal);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(user.Email, listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Contains($"Revoked the admin role from {user.Email}", revoked.Output, StringComparison.Ordinal);
        // Another process: the running app notices within its recheck interval (5 s), not necessarily at once.
        await Eventually.PollAsync(
            async () =>
            {
                using var response = await signedIn.PostAsync("/api/admin/reconciliation/run", content: null);
                return response.StatusCode;
            },
            status => status == HttpStatusCode.Forbidden,
            "the revoked role to reach the running app");
        var audit = await app.AuditAsync($"user:{await app.UserIdAsync(user.Email)}");
        Assert.Equal([AdminRoles.GrantAction, AdminRoles.RevokeAction], audit.Select(e => e.Action));
    }

    [Fact]
    public async Task Without_a_verb_it_prints_the_usage_and_exits_2()
    {
        var result = await RunAsync("admin", "promote", "x@example.test");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("admin grant <email>", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_setting_the_app_would_refuse_it_names_the_setting_and_exits_4_without_a_stack_trace()
    {
        var result = await RunWithAsync("Production", "admin", "list");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("PUBLIC_BASE_URL", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunWithAsync("Development", args);

    private async Task<(int ExitCode, string Output, string Error)> RunWithAsync(string environment, params string[] args)
    {
        // The test host's output folder holds the app (Marketplace.Web.dll with its runtimeconfig), as the image does.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Marketplace.Web.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["Database__Provider"] = Marketplace.Tests.Support.TestProvider.Kind.ToString();
        start.Environment["ConnectionStrings__Marketplace"] = MarketplaceApp.ConnectionString(app.DataDirectory);
        start.Environment["Storage__DataDirectory"] = app.DataDirectory.FullName;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The admin command did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
