using Marketplace.Core.Identity;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

/// <summary>Sets up or replaces the recovery code later (the account page and the wallet's reminder link here).</summary>
[Authorize]
public class RecoveryModel(AuthService auth) : PageModel
{
    public string Email { get; private set; } = string.Empty;

    public bool HasRecoveryKey { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await auth.FindAsync(User.UserId(), HttpContext.RequestAborted);
        if (user is null)
        {
            return NotFound();
        }

        Email = user.Email;
        HasRecoveryKey = user.RecoveryPublicKey is not null;
        return Page();
    }
}
