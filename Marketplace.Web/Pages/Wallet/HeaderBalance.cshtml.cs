using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Marketplace.Web.Hosting;
using Marketplace.Web.Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>
/// The refresh endpoint of the header balance (see Shared/_HeaderBalance), polled by every open tab: 304
/// while the balance is the one the browser already shows (<see cref="ConditionalGet"/>), else the view.
/// </summary>
public sealed class HeaderBalanceModel(WalletQueries wallet) : PageModel
{
    [HtmxPartial(FullPage = "/Wallet/Index")]
    public async Task<IActionResult> OnGetAsync()
    {
        var userId = User.UserId();
        var available = await wallet.AvailableAsync(userId, HttpContext.RequestAborted);
        if (ConditionalGet.IsCurrent(HttpContext, HeaderBalanceView.ETag(userId, available)))
        {
            return StatusCode(StatusCodes.Status304NotModified);
        }

        return Partial(HeaderBalanceView.Path, available);
    }
}
