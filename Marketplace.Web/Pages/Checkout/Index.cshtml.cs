using System.Globalization;
using System.Security.Claims;
using Marketplace.Core;
using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Checkout;

/// <summary>
/// What a purchase will cost and leave in the wallet. The purchase itself is signed in the
/// browser (checkout.js) and posted to /api/wallet/transact; this page only renders the
/// amounts the intent must carry, computed here in integer units.
/// </summary>
public sealed class IndexModel(CatalogQueries catalog, WalletQueries wallet, MarketplaceOptions options) : PageModel
{
    public const int MaxQuantity = 99;

    public ProductView Product { get; private set; } = null!;

    public int Quantity { get; private set; } = 1;

    public string? QuantityError { get; private set; }

    public Credits Total { get; private set; }

    public Credits Balance { get; private set; }

    public Credits BalanceAfter => Balance - Total;

    public bool CanAfford => BalanceAfter >= Credits.Zero;

    /// <summary>How many credits the balance lacks (zero when it covers the total).</summary>
    public Credits Shortfall => CanAfford ? Credits.Zero : Total - Balance;

    /// <summary>What the shortfall costs in the Buy credits form's default currency, preset in the form.</summary>
    public Money ShortfallCost => CheckoutReturn.CostOf(Shortfall, options);

    /// <summary>Where the top-up for the shortfall brings the shopper back: this checkout, same quantity.</summary>
    public string ReturnPath => CheckoutReturn.PathFor(Product.Id, Quantity);

    /// <summary>Whose vault checkout.js unlocks.</summary>
    public string Email => User.FindFirstValue(ClaimTypes.Email) ?? string.Empty;

    public async Task<IActionResult> OnGetAsync(Guid productId, string? quantity)
    {
        var product = await catalog.FindAsync(productId, HttpContext.RequestAborted);
        if (product is null)
        {
            return NotFound();
        }

        Product = product;
        if (quantity is not null)
        {
            if (int.TryParse(quantity, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 and <= MaxQuantity)
            {
                Quantity = parsed;
            }
            else
            {
                QuantityError = $"Choose a quantity from 1 to {MaxQuantity}.";
            }
        }

        Total = new Credits(checked(product.Price.Units * Quantity));
        Balance = (await wallet.BalanceAsync(User.UserId(), HttpContext.RequestAborted)).Available;
        return Page();
    }
}
