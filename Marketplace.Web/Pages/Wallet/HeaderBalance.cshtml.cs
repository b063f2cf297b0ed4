using Marketplace.Web.Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>The refresh endpoint of the header balance (see Shared/Components/HeaderBalance).</summary>
public sealed class HeaderBalanceModel : PageModel
{
    [HtmxPartial(FullPage = "/Wallet/Index")]
    public IActionResult OnGet() => new ViewComponentResult { ViewComponentName = HeaderBalanceViewComponent.Name };
}
