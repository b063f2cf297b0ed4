using Marketplace.Core.Catalog;
using Marketplace.Web.Api;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Catalog;

public sealed class IndexModel(CatalogQueries catalog) : PageModel
{
    /// <summary>The query string as typed; anything in it may be missing, unknown or too long.</summary>
    public sealed record FilterInput(string? Search, string? Kind, string? Category);

    /// <summary>What <c>_Results</c> shows: the matching products and why a filter value was ignored or shortened.</summary>
    public sealed record ResultsView(IReadOnlyList<ProductView> Products, IReadOnlyList<string> Notices);

    public string Search { get; private set; } = string.Empty;

    public ProductKind? Kind { get; private set; }

    public string? Category { get; private set; }

    public IReadOnlyList<string> Categories { get; private set; } = [];

    public ResultsView Results { get; private set; } = new([], []);

    public async Task<IActionResult> OnGetAsync([FromQuery] FilterInput? filter, CancellationToken cancellationToken)
    {
        filter ??= new FilterInput(null, null, null);
        var notices = new List<string>();

        Search = ClampSearch(filter.Search?.Trim() ?? string.Empty, notices);

        if (!string.IsNullOrEmpty(filter.Kind))
        {
            if (ProductsApi.TryParseKind(filter.Kind, out var kind))
                Kind = kind;
            else
                notices.Add("That product kind does not exist; showing all kinds.");
        }

        Categories = await catalog.CategoriesAsync(cancellationToken);
        if (!string.IsNullOrEmpty(filter.Category))
        {
            Category = Categories.FirstOrDefault(c => string.Equals(c, filter.Category, StringComparison.OrdinalIgnoreCase));
            if (Category is null)
                notices.Add("That category does not exist; showing all categories.");
        }

        var products = await catalog.SearchAsync(new CatalogFilter(Search, Kind, Category), cancellationToken);
        Results = new ResultsView(products, notices);

        return Request.IsHtmx() ? Partial("_Results", Results) : Page();
    }

    // A link or a pasted URL can carry any length; searching its first part beats an error page.
    private static string ClampSearch(string search, List<string> notices)
    {
        if (search.Length <= CatalogQueries.MaxSearchLength)
            return search;

        notices.Add($"Searches are at most {CatalogQueries.MaxSearchLength} characters; the rest was ignored.");
        var length = char.IsHighSurrogate(search[CatalogQueries.MaxSearchLength - 1]) ? CatalogQueries.MaxSearchLength - 1 : CatalogQueries.MaxSearchLength;
        return search[..length];
    }
}
