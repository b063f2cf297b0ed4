using Marketplace.Core.Identity;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

/// <summary>
/// Where the layout's logout form posts when scripts are off; with scripts, auth.js
/// intercepts the same form and calls POST /api/auth/logout instead.
/// </summary>
public class LogoutModel(Sessions sessions) : PageModel
{
    public IActionResult OnGet() => User.IsSignedIn() ? Page() : Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await sessions.EndAsync(User.SessionToken(), HttpContext.RequestAborted);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/");
    }
}
