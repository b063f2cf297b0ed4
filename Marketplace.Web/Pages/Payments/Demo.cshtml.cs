using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Demo;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Web.Auth;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Payments;

/// <summary>
/// The Demo gateway's hosted checkout look-alike: only the payer sees it, and only until a card was decided.
/// A decision becomes an event the demo gateway signs, received like any gateway's webhook and applied by the inbox job.
/// </summary>
public class DemoModel(PaymentService payments, DemoGateway demo, WebhookReceiver receiver, WebhookInbox inbox, WebhookProcessor processor, WebhookInboxTrigger inboxTrigger) : PageModel
{
    public const string UnknownCardMessage = "Use test card 4242 4242 4242 4242 to pay or 4000 0000 0000 0002 to be declined.";
    public const string DeclinedReason = DemoGateway.DeclinedReason;

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

        var outcome = DemoGateway.Classify(cardNumber);
        if (outcome == DemoCardOutcome.Unknown)
        {
            CardNumber = cardNumber;
            Error = UnknownCardMessage;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var receipt = await receiver.ReceiveAsync(DemoGateway.GatewayName, demo.SignEvent(Payment, outcome), HttpContext.RequestAborted);
        if (receipt is not WebhookReceipt.Stored { Result: var stored })
        {
            throw new InvalidOperationException($"The demo gateway refused its own event: {receipt}.");
        }

        // The decision is applied here, before the redirect, so the next page shows Succeeded or Declined rather than a
        // Pending the payer already knows is over (issue 14, defect 9). Should that not happen (processing off, a drain
        // took the row first, the handler asked for a retry), the inbox applies it later and the page says Pending truly.
        if (stored == AcceptResult.Accepted && !await processor.ProcessNowAsync(DemoGateway.GatewayName, DemoGateway.EventId(id), HttpContext.RequestAborted))
        {
            inboxTrigger.RequestRun();
        }

        return RedirectToPage("Return", new { id });
    }

    // Not the owner's, not a demo payment, or no such payment all look the same: 404. Decided ones go to the return page.
    private async Task<IActionResult?> OpenPaymentAsync(Guid id)
    {
        var payment = await payments.FindForAsync(id, User.UserId(), isAdmin: false, HttpContext.RequestAborted);
        if (payment is null || payment.Gateway != DemoGateway.GatewayName)
        {
            return NotFound();
        }

        if (payment.IsFinal || await inbox.HasAsync(DemoGateway.GatewayName, DemoGateway.EventId(id), HttpContext.RequestAborted))
        {
            return RedirectToPage("Return", new { id });
        }

        Payment = payment;
        return null;
    }
}
