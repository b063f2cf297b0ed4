using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Orders;

/// <summary>
/// One of the buyer's orders with its receipt and the proof that its transaction is in the ledger's latest checkpoint;
/// receipts.js verifies the receipt's signature, and the proof, in the browser.
/// </summary>
public sealed class DetailModel(OrderQueries orders, LedgerProofs proofs) : PageModel
{
    public OrderView Order { get; private set; } = null!;

    public OrderInclusion? Inclusion { get; private set; }

    /// <summary>Why there is no inclusion proof to show, when there is none.</summary>
    public string? InclusionUnavailable { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        // Someone else's order is not found, exactly like one that does not exist.
        var order = await orders.FindForBuyerAsync(User.UserId(), id, HttpContext.RequestAborted);
        if (order is null)
        {
            return NotFound();
        }

        Order = order;
        (Inclusion, InclusionUnavailable) = await proofs.ForOrderAsync(User.UserId(), id, HttpContext.RequestAborted);
        return Page();
    }
}
