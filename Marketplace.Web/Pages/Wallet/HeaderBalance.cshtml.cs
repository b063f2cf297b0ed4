using Marketplace.Web.Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>The refresh endpoint of the header balance (see Shared/Components/HeaderBalance).</summary>
public sealed class HeaderBalanceModel : PageModel
{
    public IActionResult OnGet()
    {
        Response.VaryOnHtmx();
        if (!Request.IsHtmx())
        {
            return RedirectToPage("/Wallet/Index");
        }

        return new ViewComponentResult { ViewComponentName = HeaderBalanceViewComponent.Name };
    }
}
