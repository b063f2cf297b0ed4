using Marketplace.Core.Payments;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Payments;

/// <summary>
/// Where a hosted checkout's "back" link (Stripe's cancel URL) returns the shopper: the checkout is closed at the
/// gateway and the payment cancelled, then the payment's page shows it. A GET, because that is what the gateway sends;
/// it acts only on the signed-in owner's own open payment (an id nobody else knows), and doing it twice changes nothing.
/// If the shopper paid in the meantime, the payment stays open for its webhook.
/// </summary>
public class CancelledModel(PaymentService payments) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var result = await payments.AbandonCheckoutAsync(id, User.UserId(), HttpContext.RequestAborted);
        return result is CancelResult.NotFound ? NotFound() : RedirectToPage("Return", new { id });
    }
}
