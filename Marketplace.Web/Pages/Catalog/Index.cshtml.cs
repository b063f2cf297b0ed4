using Marketplace.Core.Catalog;
using Marketplace.Core.Text;
using Htmx;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Catalog;

[OutputCache(PolicyName = CatalogOutputCache.PolicyName)]
public sealed class IndexModel(CatalogQueries catalog) : PageModel
{
    public const int PageSize = 24;

    /// <summary>The query string as typed; anything in it may be missing, unknown or too long.</summary>
    public sealed record FilterInput(string? Search, string? Kind, string? Category, string? Cursor, string? Sort = null);

    /// <summary>
    /// What <c>_Results</c> shows: one page of matching products, how many match in all, why a filter value was ignored
    /// or shortened, and the link to the next page (<see cref="MoreLink"/>, null on the last).
    /// </summary>
    public sealed record ResultsView(IReadOnlyList<ProductView> Products, IReadOnlyList<string> Notices, int Total = 0, string? MoreLink = null, bool IsFirstPage = true)
    {
        /// <summary>"12 products": the live region above the results says it after every filter change.</summary>
        public string CountText => Total == 1 ? "1 product" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Total:N0} products");
    }

    public string Search { get; private set; } = string.Empty;

    public ProductKind? Kind { get; private set; }

    public string? Category { get; private set; }

    public IReadOnlyList<string> Categories { get; private set; } = [];

    public CatalogSort Sort { get; private set; }

    /// <summary>The orders the catalog offers, as the Sort by list shows them.</summary>
    public static IReadOnlyList<(CatalogSort Sort, string Label)> Sorts { get; } =
        [(CatalogSort.Name, "Name"), (CatalogSort.Price, "Price: low to high"), (CatalogSort.PriceDesc, "Price: high to low"), (CatalogSort.Newest, "Newest")];

    public ResultsView Results { get; private set; } = new([], []);

    /// <summary>How long the page's content is kept (<c>&lt;cache&gt;</c> in Index.cshtml); a catalog change replaces it sooner.</summary>
    public static TimeSpan ContentLifetime { get; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// What the page's content (filters, count, results) depends on: the catalog's version and the query exactly as given.
    /// The layout around it is per user and rendered every time; the content is rendered by <see cref="LoadAsync"/> only
    /// when no content is kept under this key.
    /// </summary>
    public string ContentKey { get; private set; } = string.Empty;

    private FilterInput _filter = new(null, null, null, null);

    public async Task<IActionResult> OnGetAsync([FromQuery] FilterInput? filter, CancellationToken cancellationToken)
    {
        _filter = filter ?? _filter;
        if (!Request.IsHtmx())
        {
            var version = await catalog.VersionAsync(cancellationToken);
            ContentKey = string.Join('\u001f', version.ToString(System.Globalization.CultureInfo.InvariantCulture), _filter.Search, _filter.Kind, _filter.Category, _filter.Cursor, _filter.Sort);
            return Page();
        }

        var after = await LoadAsync(cancellationToken);

        // "Load more" asks for the next page alone; the filter form for the first page of its results.
        return after is null ? Partial("_Results", Results) : Partial("_MoreResults", Results);
    }

    /// <summary>Reads the filters, the categories and one page of results; the cursor the page starts after, null on the first.</summary>
    public async Task<CatalogCursor?> LoadAsync(CancellationToken cancellationToken)
    {
        var filter = _filter;
        var notices = new List<string>();

        Search = ClampSearch(filter.Search?.Trim() ?? string.Empty, notices);

        if (!string.IsNullOrEmpty(filter.Kind))
        {
            if (WireName.TryParse<ProductKind>(filter.Kind, out var kind, ignoreCase: true))
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

        if (!string.IsNullOrEmpty(filter.Sort))
        {
            if (WireName.TryParse<CatalogSort>(filter.Sort, out var sort, ignoreCase: true))
                Sort = sort;
            else
                notices.Add("That order does not exist; sorting by name.");
        }

        CatalogCursor? after = null;
        if (!string.IsNullOrEmpty(filter.Cursor))
        {
            if (CatalogCursor.TryParse(filter.Cursor, out var cursor) && cursor.Sort == Sort)
                after = cursor;
            else
                notices.Add("That page link is not valid; showing the first page.");
        }

        // htmx's "Load more" renders _MoreResults alone, which shows no count.
        var moreOnly = after is not null && Request.IsHtmx();
        var page = await catalog.PageAsync(new CatalogFilter(Search, Kind, Category), PageSize, after, Sort, countAll: !moreOnly, cancellationToken);
        Results = new ResultsView(page.Items, notices, page.Total ?? 0, Link(page.NextCursor), IsFirstPage: after is null);
        return after;
    }

    // The filters as applied (not as typed), so the next page is of the same results.
    private string? Link(string? cursor)
    {
        if (cursor is null)
            return null;

        var query = new Dictionary<string, string?>
        {
            ["search"] = Search,
            ["kind"] = Kind is { } kind ? WireName.Of(kind) : null,
            ["category"] = Category,
            ["sort"] = Sort == CatalogSort.Name ? null : WireName.Of(Sort),
            ["cursor"] = cursor,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/", query.Where(q => !string.IsNullOrEmpty(q.Value)));
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
