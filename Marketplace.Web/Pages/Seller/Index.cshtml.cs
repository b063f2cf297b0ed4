using Marketplace.Core.Catalog;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Seller;

/// <summary>The signed-in user as a seller: their products, and a form to list a new one.</summary>
public sealed class IndexModel(ProductListings listings) : PageModel
{
    /// <summary>What the List a product form posts.</summary>
    public sealed record ListingInput(string? Title, string? Description, string? Price, string? Kind, string? Category);

    public IReadOnlyList<SellerProduct> Products { get; private set; } = [];

    public ListingInput Listing { get; private set; } = new(null, null, null, nameof(ProductKind.Digital), null);

    /// <summary>The rejected field of the listing form and why.</summary>
    public (string Field, string Message)? ListingError { get; private set; }

    /// <summary>What the last post did, shown once after its redirect.</summary>
    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostListAsync(ListingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await listings.ListAsync(User.UserId(), new NewListing(input.Title, input.Description, input.Price, input.Kind, input.Category), HttpContext.RequestAborted);
        if (result is ListingResult.Listed)
        {
            Message = $"Listed “{input.Title?.Trim()}”. It is in the catalog now.";
            return RedirectToPage();
        }

        var invalid = (ListingResult.Invalid)result;
        Listing = input;
        ListingError = (invalid.Field, invalid.Message);
        await LoadAsync();
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public string? ErrorFor(string field) => ListingError is { } error && error.Field == field ? error.Message : null;

    private async Task LoadAsync()
    {
        Products = await listings.ForSellerAsync(User.UserId(), HttpContext.RequestAborted);
    }
}
