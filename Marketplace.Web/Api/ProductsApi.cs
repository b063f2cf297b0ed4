using Marketplace.Core.Catalog;
using Marketplace.Core.Text;
using Marketplace.Web.Failures;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

public static class ProductsApi
{
    public sealed record ProductResponse(Guid Id, string Name, string Description, string Category, string Kind, string Price, string Currency, bool Available, Guid SellerId, string SellerName);

    /// <param name="NextCursor">Pass it as <c>cursor</c> for the next page; null on the last page.</param>
    public sealed record ProductListResponse(IReadOnlyList<ProductResponse> Items, string? NextCursor);

    public const int DefaultPageSize = 20;

    public static RouteGroupBuilder MapProductsApi(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Catalog");
        products.MapGet("/", List)
            .WithSummary("Catalog products, optionally filtered by search text, kind (digital or service) and category; sort is name (default), price (low to high), price_desc or newest; limit (1-100, default 20) per page, next_cursor leads on in the same sort (a cursor of another sort is 400 cursor_sort_mismatch)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .CacheOutput(CatalogOutputCache.PolicyName);
        products.MapGet("/{id}", Get)
            .WithSummary("One product")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .CacheOutput(CatalogOutputCache.PolicyName);
        return api;
    }

    public static async Task<Results<Ok<ProductListResponse>, ProblemHttpResult>> List(CatalogQueries catalog, string? search, string? kind, string? category, string? limit, string? cursor, CancellationToken cancellationToken, string? sort = null)
    {
        var order = CatalogSort.Name;
        if (!string.IsNullOrEmpty(sort) && !WireName.TryParse(sort, out order, ignoreCase: true))
        {
            return ApiProblems.BadRequest("invalid_sort", "sort must be \"name\", \"price\", \"price_desc\" or \"newest\".", "sort");
        }

        var size = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size) || size is < 1 or > CatalogQueries.MaxPageSize))
        {
            return ApiProblems.BadRequest("invalid_limit", $"limit must be a whole number from 1 to {CatalogQueries.MaxPageSize}.", "limit");
        }

        CatalogCursor? after = null;
        if (cursor is not null)
        {
            if (!CatalogCursor.TryParse(cursor, out var parsed))
            {
                return ApiProblems.BadRequest("invalid_cursor", "cursor must be a next_cursor value from an earlier page.", "cursor");
            }

            if (parsed.Sort != order)
            {
                return ApiProblems.BadRequest("cursor_sort_mismatch", "cursor belongs to another sort; start again without it, or send the sort it came from.", "cursor");
            }

            after = parsed;
        }

        if (search is { Length: > CatalogQueries.MaxSearchLength })
        {
            return ApiProblems.BadRequest("invalid_search", $"search is at most {CatalogQueries.MaxSearchLength} characters.", "search");
        }

        ProductKind? kindFilter = null;
        if (!string.IsNullOrEmpty(kind))
        {
            if (!WireName.TryParse<ProductKind>(kind, out var parsed, ignoreCase: true))
            {
                return ApiProblems.BadRequest("invalid_kind", "kind must be \"digital\" or \"service\".", "kind");
            }

            kindFilter = parsed;
        }

        var page = await catalog.PageAsync(new CatalogFilter(search, kindFilter, category), size, after, order, countAll: false, cancellationToken);
        return TypedResults.Ok(new ProductListResponse(page.Items.Select(ToResponse).ToList(), page.NextCursor));
    }

    public static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Get(CatalogQueries catalog, string id, CancellationToken cancellationToken)
    {
        var product = Guid.TryParse(id, out var productId) ? await catalog.FindAsync(productId, cancellationToken) : null;
        return product is null
            ? FailureTable.ProductNotFound.ToProblem()
            : TypedResults.Ok(ToResponse(product));
    }

    private static ProductResponse ToResponse(ProductView p) =>
        new(p.Id, p.Name, p.Description, p.Category, WireName.Of(p.Kind), p.Price.ToDecimalString(), Core.Credits.Code, p.IsAvailable, p.SellerId, p.SellerName);
}
