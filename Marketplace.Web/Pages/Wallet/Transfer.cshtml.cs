using System.Security.Claims;
using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>Send credits to another user: the transfer is signed in the browser (transfer.js) and posted to /api/wallet/transact.</summary>
public sealed class TransferModel(WalletQueries wallet) : PageModel
{
    public WalletBalance Balance { get; private set; } = new(Core.Credits.Zero, Core.Credits.Zero);

    /// <summary>Whose vault transfer.js unlocks.</summary>
    public string Email => User.FindFirstValue(ClaimTypes.Email) ?? string.Empty;

    public async Task OnGetAsync() => Balance = await wallet.BalanceAsync(User.UserId(), HttpContext.RequestAborted);
}
