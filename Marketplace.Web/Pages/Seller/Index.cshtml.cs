using Marketplace.Core.Catalog;
using Marketplace.Core.Orders;
using Marketplace.Core.Text;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Marketplace.Web.Hosting;
using Marketplace.Web.Pages.Orders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Seller;

/// <summary>
/// The signed-in user as a seller: their products (each with its Edit page) and sales, service orders to deliver or
/// cancel, and a form to list a new product with the file and/or licence text a digital product delivers.
/// </summary>
[AcceptsDeliveryUpload]
public sealed class IndexModel(ProductListings listings, CatalogQueries catalog, OrderQueries orders, SellerService seller, DeliveryOptions delivery) : PageModel
{
    /// <summary>What the List a product form posts (the file comes separately).</summary>
    public sealed record ListingInput(string? Title, string? Description, string? Price, string? Kind, string? Category, string? Licence = null);

    /// <summary>The largest file a seller may attach, in MB, for the form's hint.</summary>
    public int MaxFileMegabytes => delivery.MaxFileMegabytes;

    public IReadOnlyList<ProductView> Products { get; private set; } = [];

    public IReadOnlyList<OrderView> Sales { get; private set; } = [];

    public IReadOnlyList<OrderView> OpenOrders { get; private set; } = [];

    public ListingInput Listing { get; private set; } = new(null, null, null, WireName.Of(ProductKind.Digital), null);

    /// <summary>The rejected field of the listing form and why.</summary>
    public (string Field, string Message)? ListingError { get; private set; }

    /// <summary>What the last post did, shown once after its redirect.</summary>
    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostListAsync(ListingInput? input, IFormFile? file)
    {
        // A post with none of the form's fields binds no input at all: refused like an empty form.
        input ??= new ListingInput(null, null, null, null, null);

        // A browser sends an empty, nameless part when no file was chosen.
        file = file is { Length: 0, FileName: null or "" } ? null : file;
        await using var content = file?.OpenReadStream();
        var listing = new NewListing(input.Title, input.Description, input.Price, input.Kind, input.Category, input.Licence, content is null ? null : new DeliveryUpload(content, file!.FileName));
        var result = await listings.ListAsync(User.UserId(), listing, HttpContext.RequestAborted);
        if (result is ListingResult.Listed)
        {
            Message = $"Listed “{input.Title?.Trim()}”. It is in the catalog now.";
            return RedirectToPage();
        }

        var failure = result.ToFailure();
        Listing = input;
        ListingError = (failure.Field ?? string.Empty, failure.Message);
        await LoadAsync();
        Response.StatusCode = failure.Status;
        return Page();
    }

    /// <summary>The confirmation Cancel order asks for first (issue 14, defect 7).</summary>
    public ConfirmStep? Confirm { get; private set; }

    public Task<IActionResult> OnPostDeliverAsync(Guid id) =>
        TransitionAsync(id, () => seller.DeliverAsync(User.UserId(), id, amount: null, HttpContext.RequestAborted), "delivered");

    public async Task<IActionResult> OnPostCancelAsync(Guid id, [FromForm(Name = ConfirmStep.Field)] string? confirmed)
    {
        if (!ConfirmStep.IsConfirmed(confirmed))
        {
            if (await orders.FindForSellerAsync(User.UserId(), id, HttpContext.RequestAborted) is not { } order)
            {
                return NotFound();
            }

            Confirm = new ConfirmStep($"Cancel the order for {OrderText.Title(order)}?",
                $"{order.BuyerName} gets the {order.Total.ToDisplayString()} held for it back, and you are not paid. This cannot be undone.",
                ConfirmStep.SameAction(Request), [], "Yes, cancel the order", "/Seller");
            await LoadAsync();
            return Page();
        }

        return await TransitionAsync(id, () => seller.CancelAsync(User.UserId(), id, HttpContext.RequestAborted), "cancelled");
    }

    public string? ErrorFor(string field) => ListingError is { } error && error.Field == field ? error.Message : null;

    /// <summary>The error summary focus moves to after a refused listing (issue 14, defect 8): the field's input to link, or none for a group or the whole listing.</summary>
    public (string? FieldId, string Message)? ListingErrorSummary =>
        ListingError is { } error ? (error.Field is "title" or "description" or "price" or "category" or "file" or "licence" ? $"listing-{error.Field}" : null, error.Message) : null;

    private async Task<IActionResult> TransitionAsync(Guid id, Func<Task<OrderTransitionResult>> transition, string done)
    {
        // Read before the transition: the message names the order ("Order for Logo design delivered."), not its id.
        var view = await orders.FindForSellerAsync(User.UserId(), id, HttpContext.RequestAborted);
        switch (await transition())
        {
            case OrderTransitionResult.Done(var order, _):
                Message = view is null ? $"Order {order.Id} {done}." : $"Order for {OrderText.Title(view)} {done}.";
                return RedirectToPage();
            case OrderTransitionResult.NotFound:
                // Not this seller's order: no different from one that does not exist.
                return NotFound();
            case var refused:
                Message = refused.ToFailure().Message;
                return RedirectToPage();
        }
    }

    private async Task LoadAsync()
    {
        var sellerId = User.UserId();
        Products = await catalog.BySellerAsync(sellerId, HttpContext.RequestAborted);
        Sales = await orders.SalesAsync(sellerId, OrderQueries.MaxPageSize, HttpContext.RequestAborted);
        OpenOrders = await orders.OpenServiceOrdersAsync(sellerId, OrderQueries.MaxPageSize, HttpContext.RequestAborted);
    }
}
