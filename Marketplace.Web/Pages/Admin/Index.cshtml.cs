using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin;

public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
