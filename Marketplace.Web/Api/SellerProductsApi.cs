using Marketplace.Core.Catalog;
using Marketplace.Core.Text;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>
/// /api/seller/products: list a product, edit it, withdraw it from sale and put it back. Listing and editing take a form
/// (multipart/form-data when a file is attached), since a digital product's file travels with it. Someone else's
/// product is 404, like one that does not exist.
/// </summary>
public static class SellerProductsApi
{
    /// <param name="Sha256">Lowercase hex SHA-256 of the stored bytes, so the seller can check what buyers get.</param>
    public sealed record DeliveryFileResponse(string Name, string ContentType, long SizeBytes, string Sha256);

    public sealed record SellerProductResponse(Guid Id, string Name, string Description, string Category, string Kind, string Price, string Currency, bool Available, string? Licence, DeliveryFileResponse? File);

    public sealed record SellerProductListResponse(IReadOnlyList<SellerProductResponse> Items);

    private static readonly string[] ListFields = ["title", "description", "price", "kind", "category", "licence"];

    private static readonly string[] EditFields = ["title", "description", "price", "category", "licence", "remove_file"];

    public static RouteGroupBuilder MapSellerProductsApi(this RouteGroupBuilder seller)
    {
        seller.MapGet("/products", List)
            .WithSummary("The user's own products, available or withdrawn, by name, each with its licence text and file");
        seller.MapPost("/products", Create)
            .WithSummary("List a product. A digital product delivers a file, a licence text or both; the file's type is checked against its bytes, and its size against Delivery__MaxFileMegabytes")
            .WithMetadata(new AcceptsDeliveryUploadAttribute())
            .AcceptsForm(
                new FormField("title", "1 to 120 characters", Required: true),
                new FormField("description", "1 to 2000 characters", Required: true),
                new FormField("price", "credits as a decimal string such as \"12.50\"", Required: true),
                new FormField("kind", "\"digital\" or \"service\"", Required: true),
                new FormField("category", "at most 60 characters; \"Other\" when left out"),
                new FormField("licence", "the licence text a digital product delivers, at most 10,000 characters"),
                new FormField("file", "the file a digital product delivers (multipart/form-data only)", IsFile: true))
            .Produces<SellerProductResponse>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity);
        seller.MapGet("/products/{id}", Get)
            .WithSummary("One of the user's own products")
            .ProducesProblems(StatusCodes.Status404NotFound);
        seller.MapPost("/products/{id}", Edit)
            .WithSummary("Edit one of the user's products; a field left out stays as it is. A new price applies to purchases from now on; orders already made keep what they paid. The kind cannot change")
            .WithMetadata(new AcceptsDeliveryUploadAttribute())
            .AcceptsForm(
                new FormField("title", "1 to 120 characters"),
                new FormField("description", "1 to 2000 characters"),
                new FormField("price", "credits as a decimal string such as \"12.50\""),
                new FormField("category", "at most 60 characters"),
                new FormField("licence", "the new licence text; empty removes it"),
                new FormField("file", "a file that replaces the current one (multipart/form-data only)", IsFile: true),
                new FormField("remove_file", "\"true\" removes the current file"))
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        seller.MapPost("/products/{id}/withdraw", Withdraw)
            .WithSummary("Take a product off sale: the catalog hides it and purchases are refused (product_unavailable); its past orders keep their downloads")
            .ProducesProblems(StatusCodes.Status404NotFound);
        seller.MapPost("/products/{id}/relist", Relist)
            .WithSummary("Put a withdrawn product back on sale")
            .ProducesProblems(StatusCodes.Status404NotFound);
        return seller;
    }

    public static async Task<Ok<SellerProductListResponse>> List(HttpContext context, CatalogQueries catalog)
    {
        var products = await catalog.OwnProductsAsync(context.User.UserId(), context.RequestAborted);
        return TypedResults.Ok(new SellerProductListResponse(products.Select(ToResponse).ToList()));
    }

    public static async Task<Results<Ok<SellerProductResponse>, ProblemHttpResult>> Get(HttpContext context, CatalogQueries catalog, string id)
    {
        var product = Guid.TryParse(id, out var productId) ? await catalog.FindForSellerAsync(context.User.UserId(), productId, context.RequestAborted) : null;
        return product is null ? FailureTable.ProductNotFound.ToProblem() : TypedResults.Ok(ToResponse(product));
    }

    public static async Task<Results<Created<SellerProductResponse>, ProblemHttpResult>> Create(HttpRequest request, ProductListings listings, CatalogQueries catalog)
    {
        var (form, problem) = await ApiForm.ReadAsync(request, ListFields);
        if (problem is not null)
        {
            return problem;
        }

        var sellerId = request.HttpContext.User.UserId();
        await using var content = form!.File?.OpenReadStream();
        var listing = new NewListing(
            form.Text("title"), form.Text("description"), form.Text("price"), form.Text("kind"), form.Text("category"), form.Text("licence"),
            content is null ? null : new DeliveryUpload(content, form.File!.FileName));
        var result = await listings.ListAsync(sellerId, listing, request.HttpContext.RequestAborted);
        if (result is not ListingResult.Listed listed)
        {
            return result.ToFailure().ToProblem();
        }

        var product = await catalog.FindForSellerAsync(sellerId, listed.ProductId, request.HttpContext.RequestAborted);
        return TypedResults.Created($"/api/seller/products/{listed.ProductId}", ToResponse(product!));
    }

    public static async Task<Results<Ok<SellerProductResponse>, ProblemHttpResult>> Edit(HttpRequest request, ProductListings listings, string id)
    {
        var (form, problem) = await ApiForm.ReadAsync(request, EditFields);
        if (problem is not null)
        {
            return problem;
        }

        if (form!.Flag("remove_file") is not { } removeFile)
        {
            return ApiProblems.BadRequest("invalid_remove_file", "remove_file must be \"true\" or \"false\".", "remove_file");
        }

        if (!Guid.TryParse(id, out var productId))
        {
            return FailureTable.ProductNotFound.ToProblem();
        }

        await using var content = form.File?.OpenReadStream();
        var edit = new ListingEdit(
            form.Text("title"), form.Text("description"), form.Text("price"), form.Text("category"), form.Text("licence"),
            content is null ? null : new DeliveryUpload(content, form.File!.FileName), removeFile);
        return Respond(await listings.EditAsync(request.HttpContext.User.UserId(), productId, edit, request.HttpContext.RequestAborted));
    }

    public static async Task<Results<Ok<SellerProductResponse>, ProblemHttpResult>> Withdraw(HttpContext context, ProductListings listings, string id) =>
        Guid.TryParse(id, out var productId)
            ? Respond(await listings.WithdrawAsync(context.User.UserId(), productId, context.RequestAborted))
            : FailureTable.ProductNotFound.ToProblem();

    public static async Task<Results<Ok<SellerProductResponse>, ProblemHttpResult>> Relist(HttpContext context, ProductListings listings, string id) =>
        Guid.TryParse(id, out var productId)
            ? Respond(await listings.RelistAsync(context.User.UserId(), productId, context.RequestAborted))
            : FailureTable.ProductNotFound.ToProblem();

    public static SellerProductResponse ToResponse(Product p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(
            p.Id, p.Name, p.Description, p.Category, WireName.Of(p.Kind), p.Price.ToDecimalString(), Core.Credits.Code, p.IsAvailable, p.LicenceText,
            p.File is { } file ? new DeliveryFileResponse(file.Name, file.ContentType, file.SizeBytes, file.Sha256) : null);
    }

    private static Results<Ok<SellerProductResponse>, ProblemHttpResult> Respond(ListingResult result) =>
        result is ListingResult.Saved saved ? TypedResults.Ok(ToResponse(saved.Product)) : result.ToFailure().ToProblem();
}
