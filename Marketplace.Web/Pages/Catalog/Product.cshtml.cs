using Marketplace.Core.Catalog;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Catalog;

[OutputCache(PolicyName = CatalogOutputCache.PolicyName)]
public sealed class ProductModel(CatalogQueries catalog) : PageModel
{
    public ProductView? Product { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Product = Guid.TryParse(id, out var productId) ? await catalog.FindAsync(productId, cancellationToken) : null;
        return Product is null ? NotFound() : Page();
    }
}
