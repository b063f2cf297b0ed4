using Marketplace.Core.Orders;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Orders;

/// <summary>One of the buyer's orders with its receipt; receipts.js verifies the signature in the browser.</summary>
public sealed class DetailModel(OrderQueries orders) : PageModel
{
    public OrderView Order { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        // Someone else's order is not found, exactly like one that does not exist.
        var order = await orders.FindForBuyerAsync(User.UserId(), id, HttpContext.RequestAborted);
        if (order is null)
        {
            return NotFound();
        }

        Order = order;
        return Page();
    }
}
