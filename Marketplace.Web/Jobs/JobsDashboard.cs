using Hangfire;
using Hangfire.Dashboard;
using Marketplace.Web.Auth;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Hangfire's dashboard at <see cref="Path"/> for admins only. The endpoint demands the admin policy, so the app's
/// cookie decides: anonymous visitors get the log-in redirect and shoppers the app's 403. The dashboard's own filter
/// (local requests only, by default) is replaced by the same admin check. Its AJAX posts carry the app's antiforgery
/// token, which Hangfire validates. See <see cref="Hosting.SecurityHeadersExtensions.JobsDashboardPolicy"/> for its CSP.
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/admin/jobs";

    private static readonly Lazy<bool> ChartStylesFromStylesheet = new(() =>
    {
        DashboardRoutes.AddJavaScript(typeof(JobsDashboard).Assembly, "Marketplace.Web.Jobs.dashboard.js");
        return true;
    });

    public static WebApplication MapMarketplaceJobsDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Hangfire's script bundle is process-wide; ours joins it once.
        _ = ChartStylesFromStylesheet.Value;
        app.MapHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [new AdminsOnly()],
            AppPath = "/Admin",
            DashboardTitle = "Marketplace jobs",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(ClaimsPrincipalExtensions.AdminRole);
        return app;
    }

    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsAdmin();
    }
}
