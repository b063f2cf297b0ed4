using System.Globalization;
using Marketplace.Core;
using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Marketplace.Web.Hosting;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>
/// The signed-in user's available balance in the site header (view: Shared/_HeaderBalance), rendered by the layout and
/// by /Wallet/HeaderBalance. A partial by path rather than a view component: the component's creation, invocation and
/// view lookup were about 6 % of a signed-in page (bench/README.md, issue 16, third pass).
/// </summary>
public static class HeaderBalanceView
{
    public const string Path = "/Pages/Shared/_HeaderBalance.cshtml";

    private const string KnownKey = "header-balance";

    /// <summary>The ETag of the view as it shows <paramref name="available"/> to this user.</summary>
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

    /// <summary>The balance the header shows: the one the page remembered, else read now.</summary>
    public static async Task<Credits> AvailableAsync(HttpContext context, WalletQueries wallet)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(wallet);
        return context.Items[KnownKey] as Credits? ?? await wallet.AvailableAsync(context.User.UserId(), context.RequestAborted);
    }
}
