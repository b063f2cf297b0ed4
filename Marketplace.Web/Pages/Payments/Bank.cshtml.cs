using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Payments;

/// <summary>Where to send a bank transfer and what to write on it; the status below updates by itself once an admin decides.</summary>
public class BankModel(PaymentService payments, WalletQueries wallet, BankTransferOptions? bank = null) : PageModel
{
    public Payment Payment { get; private set; } = null!;

    /// <summary>Null when bank transfer has since been switched off; the page then says so instead of showing stale details.</summary>
    public BankTransferOptions? Account => bank;

    public ReturnModel.StatusView Status { get; private set; } = null!;

    /// <summary>The shopper may withdraw their own transfer while it waits (an admin looking at it may not).</summary>
    public bool CanCancel => !Payment.IsFinal && Payment.UserId == User.UserId();

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var payment = await payments.FindForAsync(id, User.UserId(), User.IsAdmin(), HttpContext.RequestAborted);
        if (payment is null || payment.Gateway != BankTransferGateway.GatewayName)
        {
            return NotFound();
        }

        Payment = payment;
        Status = await ReturnModel.StatusViewAsync(payment, User, wallet, HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>Cancel transfer: the money was not (and will not be) sent; the page then shows it cancelled.</summary>
    public async Task<IActionResult> OnPostCancelAsync(Guid id)
    {
        var result = await payments.CancelAsync(id, User.UserId(), HttpContext.RequestAborted);
        return result is CancelResult.NotFound or CancelResult.NotCancellable ? NotFound() : RedirectToPage(new { id });
    }
}
