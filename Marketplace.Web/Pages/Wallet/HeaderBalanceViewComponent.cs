using System.Globalization;
using Marketplace.Core;
using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>The signed-in user's available balance in the site header (view: Shared/Components/HeaderBalance); rendered by the layout and by /Wallet/HeaderBalance.</summary>
public sealed class HeaderBalanceViewComponent(WalletQueries wallet) : ViewComponent
{
    public const string Name = "HeaderBalance";

    private const string KnownKey = "header-balance";

    /// <summary>The ETag of the component as it shows <paramref name="available"/> to this user.</summary>
    public static string ETag(Guid userId, Credits available) =>
        ConditionalGet.ETagOf("header-balance", userId.ToString("N"), available.Units.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A page that has just read the balance (the wallet) hands it to the layout, which would otherwise read it again.
    /// Pages call this after their last change, so the header shows the balance the page itself shows.
    /// </summary>
    public static void Remember(HttpContext context, Credits available)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[KnownKey] = available;
    }

    public async Task<IViewComponentResult> InvokeAsync(Credits? available = null)
    {
        available ??= HttpContext.Items[KnownKey] as Credits?
            ?? await wallet.AvailableAsync(UserClaimsPrincipal.UserId(), HttpContext.RequestAborted);
        return View(available.Value);
    }
}
