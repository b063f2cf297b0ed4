using System.Security.Claims;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Web.Auth;
using Htmx;
using Marketplace.Web.Htmx;
using Marketplace.Web.Pages.Checkout;
using Marketplace.Web.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Payments;

/// <summary>Where a shopper lands after a gateway: the payment's live status, then the new balance.</summary>
public class ReturnModel(PaymentService payments, WalletQueries wallet) : PageModel
{
    /// <summary>What the status partial shows; <see cref="WalletBalance"/> only for the payer once credits arrived.</summary>
    public sealed record StatusView(Guid PaymentId, string StatusText, bool IsFinal, bool Succeeded, bool Refunded, string Amount, string Credits, string? FailureReason, string? WalletBalance);

    public StatusView Status { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var status = await StatusAsync(id);
        if (status is null)
        {
            return NotFound();
        }

        if (ReturnToCheckout(status) is { } checkout)
        {
            return Redirect(checkout);
        }

        Status = status;
        return Page();
    }

    [HtmxPartial]
    public async Task<IActionResult> OnGetStatusAsync(Guid id)
    {
        var status = await StatusAsync(id);
        if (status is null)
        {
            return NotFound();
        }

        if (status.WalletBalance is not null)
        {
            // The credits just arrived: the header balance refreshes now rather than on its next poll.
            Response.Htmx(h => h.WithBalanceChanged());
        }

        if (ReturnToCheckout(status) is { } checkout)
        {
            Response.Htmx(h => h.Redirect(checkout));
        }

        return Partial("_PaymentStatus", status);
    }

    /// <summary>The checkout this top-up was bought for, once its credits arrived (issue 14, defect 3); it is followed once.</summary>
    private string? ReturnToCheckout(StatusView status)
    {
        if (!status.Succeeded || status.WalletBalance is null || CheckoutReturn.Recall(Request, status.PaymentId) is not { } checkout)
        {
            return null;
        }

        CheckoutReturn.Forget(Response, status.PaymentId);
        return checkout;
    }

    private async Task<StatusView?> StatusAsync(Guid id)
    {
        var payment = await payments.FindForAsync(id, User.UserId(), User.IsAdmin(), HttpContext.RequestAborted);
        return payment is null ? null : await StatusViewAsync(payment, User, wallet, HttpContext.RequestAborted);
    }

    /// <summary>The status partial's model for <paramref name="payment"/> as <paramref name="viewer"/> may see it (also used by the bank transfer page).</summary>
    public static async Task<StatusView> StatusViewAsync(Payment payment, ClaimsPrincipal viewer, WalletQueries wallet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(wallet);
        var succeeded = payment.Status is PaymentStatus.Succeeded;
        string? balance = null;
        if (succeeded && payment.UserId == viewer.UserId())
        {
            balance = (await wallet.BalanceAsync(payment.UserId, cancellationToken)).Available.ToDisplayString();
        }

        return new StatusView(payment.Id, Labels.Of(payment.Status), payment.IsFinal, succeeded, payment.Status is PaymentStatus.Refunded, payment.Amount.ToDisplayString(), Labels.CreditsOf(payment), payment.FailureReason, balance);
    }
}
