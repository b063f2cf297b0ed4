using Marketplace.Core.Orders;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Orders;

/// <summary>The signed-in buyer's purchases, newest first.</summary>
public sealed class IndexModel(OrderQueries orders) : PageModel
{
    public IReadOnlyList<OrderView> Orders { get; private set; } = [];

    public async Task OnGetAsync() =>
        Orders = await orders.ForBuyerAsync(User.UserId(), OrderQueries.MaxPageSize, HttpContext.RequestAborted);
}
