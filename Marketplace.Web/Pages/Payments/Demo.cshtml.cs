using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Demo;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Payments;

/// <summary>The Demo gateway's hosted checkout look-alike: only the payer sees it, and only while the payment is open.</summary>
public class DemoModel(PaymentService payments) : PageModel
{
    public const string UnknownCardMessage = "Use test card 4242 4242 4242 4242 to pay or 4000 0000 0000 0002 to be declined.";
    public const string DeclinedReason = "Card declined (test card 4000 0000 0000 0002).";

    public Payment Payment { get; private set; } = null!;

    public string? CardNumber { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await OpenPaymentAsync(id) is { } elsewhere)
        {
            return elsewhere;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, [FromForm(Name = "card_number")] string? cardNumber)
    {
        if (await OpenPaymentAsync(id) is { } elsewhere)
        {
            return elsewhere;
        }

        switch (DemoGateway.Classify(cardNumber))
        {
            case DemoCardOutcome.Pays:
                await payments.CompleteAsync(id, PaymentOutcome.Succeeded, cancellationToken: HttpContext.RequestAborted);
                break;
            case DemoCardOutcome.Declined:
                await payments.CompleteAsync(id, PaymentOutcome.Failed, DeclinedReason, HttpContext.RequestAborted);
                break;
            default:
                CardNumber = cardNumber;
                Error = UnknownCardMessage;
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
        }

        return RedirectToPage("Return", new { id });
    }

    // Not the owner's, not a demo payment, or no such payment all look the same: 404.
    private async Task<IActionResult?> OpenPaymentAsync(Guid id)
    {
        var payment = await payments.FindForAsync(id, User.UserId(), isAdmin: false, HttpContext.RequestAborted);
        if (payment is null || payment.Gateway != DemoGateway.GatewayName)
        {
            return NotFound();
        }

        if (payment.IsFinal)
        {
            return RedirectToPage("Return", new { id });
        }

        Payment = payment;
        return null;
    }
}
