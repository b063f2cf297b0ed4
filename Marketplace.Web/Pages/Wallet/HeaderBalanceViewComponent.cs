using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>The signed-in user's available balance in the site header (view: Shared/Components/HeaderBalance); rendered by the layout and by /Wallet/HeaderBalance.</summary>
public sealed class HeaderBalanceViewComponent(WalletQueries wallet) : ViewComponent
{
    public const string Name = "HeaderBalance";

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var balance = await wallet.BalanceAsync(UserClaimsPrincipal.UserId(), HttpContext.RequestAborted);
        return View(balance.Available);
    }
}
