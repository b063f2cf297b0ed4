using Marketplace.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Marketplace.Web.Auth;

/// <summary>
/// Runs for every request that brings a session cookie: the session must still exist on the server (log out,
/// "Log out everywhere" and key replacement delete it), and the role and email state come from the database
/// (through the few-seconds cache in Core), never from the cookie. A cookie without a live session is deleted and
/// the request goes on signed out, so the API answers 401 and pages send the browser to log in.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = context.Principal?.SessionToken();
        var sessions = context.HttpContext.RequestServices.GetRequiredService<Sessions>();
        var session = await sessions.ValidateAsync(token, context.HttpContext.RequestAborted);
        if (session is null || token is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ReplacePrincipal(AuthExtensions.PrincipalFor(session, token));
    }
}
