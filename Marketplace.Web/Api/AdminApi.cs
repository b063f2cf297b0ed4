using Marketplace.Web.Auth;

namespace Marketplace.Web.Api;

/// <summary>/api/admin: every endpoint here needs the admin role (401 signed out, 403 signed in without it).</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").RequireAuthorization(ClaimsPrincipalExtensions.AdminRole);
        _ = admin;
        return api;
    }
}
