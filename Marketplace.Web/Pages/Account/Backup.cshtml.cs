using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

public class BackupModel : PageModel
{
    public void OnGet()
    {
    }
}
