using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages;

public class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
