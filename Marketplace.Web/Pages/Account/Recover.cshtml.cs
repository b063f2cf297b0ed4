using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

/// <summary>Recovery on a new device; all of it happens in auth.js against /api/auth/recover.</summary>
public class RecoverModel : PageModel
{
    public void OnGet()
    {
    }
}
