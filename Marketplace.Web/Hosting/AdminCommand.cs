using Marketplace.Core;
using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Marketplace.Web.Failures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Hosting;

/// <summary>
/// <c>dotnet Marketplace.Web.dll admin grant|revoke &lt;email&gt;</c> and <c>admin list</c> (or <c>dotnet run --project
/// Marketplace.Web -- admin …</c>): the operator's way to the admin role. It reads the app's own configuration
/// (appsettings, environment, further <c>--Key=value</c> arguments), opens the same database beside a running app
/// (SQLite waits its turn for the write lock), goes through <see cref="AdminRoles"/> like Admin → Users, and
/// starts no web server or jobs. Exit codes: 0 done, 1 refused (unknown or unverified account), 2 usage, 3 database not
/// ready, 4 the configuration is invalid (the message names the setting, as the app's own start would).
/// </summary>
public static class AdminCommand
{
    public const string Name = "admin";

    public const string Usage = """
        Usage:
          admin grant <email>    give a verified account the admin role
          admin revoke <email>   take the admin role away
          admin list             show who has it
        """;

    public static bool IsRequested(string[] args) => args is [Name, ..];

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        error ??= Console.Error;
        var (verb, email, rest) = args switch
        {
            [Name, "grant" or "revoke", var address, .. var more] when !address.StartsWith('-') => (args[1], address, more),
            [Name, "list", .. var more] => ("list", null, more),
            _ => (null, null, Array.Empty<string>()),
        };
        if (verb is null)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = rest });
        // EF Core and hosting would otherwise log into what the operator reads.
        builder.Logging.ClearProviders();
        WebApplication app;
        try
        {
            builder.Services.AddMarketplaceCore(builder.Configuration, builder.Environment);
            app = builder.Build();
        }
        catch (OptionsValidationException invalid)
        {
            return await InvalidAsync(invalid);
        }

        await using (app)
        {
            try
            {
                // What the app's start validates: every setting Core reads, not only those this command uses.
                app.Services.GetRequiredService<IStartupValidator>().Validate();
            }
            catch (Exception invalid) when (invalid is OptionsValidationException or AggregateException)
            {
                return await InvalidAsync(invalid);
            }

            return await RunVerbAsync(app, verb, email, output, error);
        }

        // The same settings the app starts with; a bad one is the operator's to fix, not a crash with a stack trace.
        async Task<int> InvalidAsync(Exception invalid)
        {
            await error.WriteLineAsync($"{invalid.Message} ({builder.Environment.EnvironmentName} environment; nothing changed.)");
            return 4;
        }
    }

    private static async Task<int> RunVerbAsync(WebApplication app, string verb, string? email, TextWriter output, TextWriter error)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        if ((await db.Database.GetPendingMigrationsAsync()).Any())
        {
            await error.WriteLineAsync("The database is not set up for this version yet: start the app once (it applies its migrations), then run this command again.");
            return 3;
        }

        var roles = scope.ServiceProvider.GetRequiredService<AdminRoles>();
        var recheck = scope.ServiceProvider.GetRequiredService<SessionSettings>().RecheckInterval;
        switch (verb)
        {
            case "list":
                var admins = await roles.ListAsync();
                await output.WriteLineAsync(admins.Count == 0 ? "No account has the admin role." : $"{admins.Count} admin(s):");
                foreach (var admin in admins)
                {
                    await output.WriteLineAsync($"  {admin.Email}  ({admin.DisplayName}, user {admin.Id})");
                }

                return 0;
            case "grant":
                return await ReportAsync(await roles.GrantAsync(AdminRoles.CommandLine, email!), granted: true, email!, recheck, output, error);
            default:
                return await ReportAsync(await roles.RevokeAsync(AdminRoles.CommandLine, email!), granted: false, email!, recheck, output, error);
        }
    }

    private static async Task<int> ReportAsync(RoleChangeResult result, bool granted, string email, TimeSpan recheck, TextWriter output, TextWriter error)
    {
        switch (result)
        {
            case RoleChangeResult.Done { Changed: true } done:
                await output.WriteLineAsync(granted
                    ? $"Granted the admin role to {done.Email} (user {done.UserId}). Written to the audit log; a running app applies it within {recheck.TotalSeconds:0} s."
                    : $"Revoked the admin role from {done.Email} (user {done.UserId}). Written to the audit log; a running app applies it within {recheck.TotalSeconds:0} s.");
                return 0;
            case RoleChangeResult.Done done:
                await output.WriteLineAsync(granted ? $"{done.Email} already has the admin role; nothing changed." : $"{done.Email} does not have the admin role; nothing changed.");
                return 0;
            case RoleChangeResult.Unverified:
                await error.WriteLineAsync(result.ToFailure().Message);
                return 1;
            default:
                await error.WriteLineAsync($"There is no account with the email {User.NormalizeEmail(email)}. The user registers first; nothing changed.");
                return 1;
        }
    }
}
