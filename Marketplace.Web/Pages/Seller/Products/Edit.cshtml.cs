using Marketplace.Core.Catalog;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Seller.Products;

/// <summary>
/// One of the seller's products: change its text, price and delivery (replace or remove the file, change the licence),
/// or withdraw it from sale and put it back. Someone else's product is 404. A new price applies to purchases from now on.
/// </summary>
[AcceptsDeliveryUpload]
public sealed class EditModel(ProductListings listings, CatalogQueries catalog, DeliveryOptions delivery) : PageModel
{
    /// <summary>What the edit form posts (the file comes separately). The kind is fixed at listing.</summary>
    public sealed record EditInput(string? Title, string? Description, string? Price, string? Category, string? Licence, bool RemoveFile = false);

    public Product Product { get; private set; } = null!;

    public EditInput Input { get; private set; } = new(null, null, null, null, null);

    public (string Field, string Message)? Error { get; private set; }

    public int MaxFileMegabytes => delivery.MaxFileMegabytes;

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        Input = new EditInput(Product.Name, Product.Description, Product.Price.ToDecimalString(), Product.Category, Product.LicenceText);
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(Guid id, EditInput? input, IFormFile? file)
    {
        // A post with none of the form's fields: every field is then refused as empty, like a cleared form.
        input ??= new EditInput(string.Empty, string.Empty, string.Empty, null, null);
        file = file is { Length: 0, FileName: null or "" } ? null : file;
        await using var content = file?.OpenReadStream();
        var edit = new ListingEdit(
            input.Title ?? string.Empty, input.Description ?? string.Empty, input.Price ?? string.Empty, input.Category ?? string.Empty, input.Licence ?? string.Empty,
            content is null ? null : new DeliveryUpload(content, file!.FileName), input.RemoveFile);
        var result = await listings.EditAsync(User.UserId(), id, edit, HttpContext.RequestAborted);
        switch (result)
        {
            case ListingResult.Saved saved:
                Message = $"Saved “{saved.Product.Name}”.";
                return RedirectToPage(new { id });
            case ListingResult.NotFound:
                return NotFound();
        }

        var failure = result.ToFailure();
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        Input = input;
        Error = (failure.Field ?? string.Empty, failure.Message);
        Response.StatusCode = failure.Status;
        return Page();
    }

    public Task<IActionResult> OnPostWithdrawAsync(Guid id) =>
        AvailabilityAsync(listings.WithdrawAsync(User.UserId(), id, HttpContext.RequestAborted), "is withdrawn: the catalog no longer shows it and nobody can buy it; past buyers keep their downloads");

    public Task<IActionResult> OnPostRelistAsync(Guid id) =>
        AvailabilityAsync(listings.RelistAsync(User.UserId(), id, HttpContext.RequestAborted), "is for sale again");

    public string? ErrorFor(string field) => Error is { } error && error.Field == field ? error.Message : null;

    /// <summary>The error summary focus moves to after a refused edit (issue 14, defect 8): the field's input to link, or none for the whole listing.</summary>
    public (string? FieldId, string Message)? ErrorSummary =>
        Error is { } error ? (error.Field is "title" or "description" or "price" or "category" or "file" or "licence" ? $"edit-{error.Field}" : null, error.Message) : null;

    private async Task<IActionResult> AvailabilityAsync(Task<ListingResult> change, string done)
    {
        if (await change is not ListingResult.Saved saved)
        {
            // Not this seller's product: no different from one that does not exist.
            return NotFound();
        }

        Message = $"“{saved.Product.Name}” {done}.";
        return RedirectToPage(new { id = saved.Product.Id });
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        var product = await catalog.FindForSellerAsync(User.UserId(), id, HttpContext.RequestAborted);
        Product = product!;
        return product is not null;
    }
}
