using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Catalog;

public sealed record ProductView(Guid Id, string Name, string Description, string Category, ProductKind Kind, Credits Price, bool IsAvailable, Guid SellerId, string SellerName)
{
    /// <summary>What a digital product delivers, as buyers may see it before buying: the file's name and size, and whether a licence comes with it.</summary>
    public DeliverySummary Delivery { get; init; } = DeliverySummary.None;
}

/// <summary>The outline of a product's delivery; the licence text itself is for buyers only.</summary>
public sealed record DeliverySummary(string? FileName, string? FileContentType, long? FileSizeBytes, bool HasLicence)
{
    public static DeliverySummary None { get; } = new(null, null, null, false);

    public bool HasFile => FileName is not null;
}

public sealed record CatalogFilter(string? Search = null, ProductKind? Kind = null, string? Category = null);

/// <summary>One page of the catalog; <paramref name="NextCursor"/> is null on the last page, <paramref name="Total"/> when not asked for.</summary>
public sealed record CatalogPage(IReadOnlyList<ProductView> Items, string? NextCursor, int? Total);

/// <summary>The catalog's orders (issue 14, defect 9); the wire names are name, price, price_desc and newest.</summary>
public enum CatalogSort
{
    Name,
    Price,
    PriceDesc,
    Newest,
}

/// <summary>
/// Where a catalog page ends: the sort, the last product's sort key (its name, its price in units or its listing time in
/// ticks) and its id (keys repeat; ids break the tie), as opaque base64url text. Keyset paging, so a product listed
/// meanwhile neither repeats nor hides one. A name cursor has no prefix, as before sorting existed, so old links still work.
/// </summary>
public readonly record struct CatalogCursor(string Name, Guid Id, CatalogSort Sort = CatalogSort.Name)
{
    private static readonly char[] Prefixes = ['n', 'p', 'd', 't'];

    public override string ToString() => StrictBase64Url.Encode(System.Text.Encoding.UTF8.GetBytes(
        Sort == CatalogSort.Name ? $"{Id:N}{Name}" : $"{Prefixes[(int)Sort]}.{Id:N}{Name}"));

    /// <summary>The key as a whole number (price units or ticks); false for a name cursor or a key that is not one.</summary>
    public bool TryNumber(out long number) =>
        long.TryParse(Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number) && Sort != CatalogSort.Name;

    public static bool TryParse(string? text, out CatalogCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 1000 || !StrictBase64Url.TryDecode(text, out var bytes) || bytes.Length < 32
            || !System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return false;
        }

        var value = System.Text.Encoding.UTF8.GetString(bytes);
        var sort = CatalogSort.Name;
        if (value.Length >= 34 && value[1] == '.' && Array.IndexOf(Prefixes, value[0]) is var at and > 0)
        {
            sort = (CatalogSort)at;
            value = value[2..];
        }

        if (!Guid.TryParseExact(value[..32], "N", out var id))
        {
            return false;
        }

        cursor = new CatalogCursor(value[32..], id, sort);
        return sort == CatalogSort.Name || cursor.TryNumber(out _);
    }
}

public sealed class CatalogQueries(MarketplaceDb db)
{
    public const int MaxSearchLength = 100;
    public const int MaxPageSize = 100;

    /// <summary>Every match, by name; for callers that know the result is small (tests, a seller's own products).</summary>
    public async Task<IReadOnlyList<ProductView>> SearchAsync(CatalogFilter filter, CancellationToken cancellationToken = default)
    {
        var rows = await Filtered(filter).OrderBy(p => p.Name).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        return rows.Select(r => r.ToView()).ToList();
    }

    /// <summary>
    /// At most <paramref name="limit"/> matches after <paramref name="after"/> in <paramref name="sort"/> order (ties by
    /// id), and how many match in all when <paramref name="countAll"/> (a second query over every match: the JSON API
    /// does not return it, and "Load more" does not show it). A cursor of another sort is the caller's to refuse; here it throws.
    /// </summary>
    public async Task<CatalogPage> PageAsync(CatalogFilter filter, int limit, CatalogCursor? after = null, CatalogSort sort = CatalogSort.Name, bool countAll = true, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var query = Filtered(filter);
        int? total = countAll ? await query.CountAsync(cancellationToken) : null;
        if (after is { } cursor)
        {
            if (cursor.Sort != sort)
            {
                throw new ArgumentException($"A {cursor.Sort} cursor cannot page a {sort} list.", nameof(after));
            }

            var id = cursor.Id;
            cursor.TryNumber(out var number);
            var time = new DateTime(Math.Clamp(number, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc);
            var name = cursor.Name;
#pragma warning disable CA1309 // translated to SQL's own comparison, the one ORDER BY uses
            query = sort switch
            {
                CatalogSort.Price => query.Where(p => p.PriceUnits > number || (p.PriceUnits == number && p.Id.CompareTo(id) > 0)),
                CatalogSort.PriceDesc => query.Where(p => p.PriceUnits < number || (p.PriceUnits == number && p.Id.CompareTo(id) > 0)),
                CatalogSort.Newest => query.Where(p => p.CreatedAt < time || (p.CreatedAt == time && p.Id.CompareTo(id) > 0)),
                _ => query.Where(p => string.Compare(p.Name, name) > 0 || (p.Name == name && p.Id.CompareTo(id) > 0)),
            };
#pragma warning restore CA1309
        }

        var ordered = sort switch
        {
            CatalogSort.Price => query.OrderBy(p => p.PriceUnits).ThenBy(p => p.Id),
            CatalogSort.PriceDesc => query.OrderByDescending(p => p.PriceUnits).ThenBy(p => p.Id),
            CatalogSort.Newest => query.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id),
            _ => query.OrderBy(p => p.Name).ThenBy(p => p.Id),
        };
        var rows = await ordered.Take(limit + 1).ToListAsync(cancellationToken);
        var items = rows.Take(limit).Select(r => r.ToView()).ToList();
        return new CatalogPage(items, rows.Count > limit ? CursorAfter(rows[limit - 1], sort).ToString() : null, total);
    }

    private static CatalogCursor CursorAfter(ProductRow last, CatalogSort sort) => sort switch
    {
        CatalogSort.Price or CatalogSort.PriceDesc => new CatalogCursor(last.PriceUnits.ToString(System.Globalization.CultureInfo.InvariantCulture), last.Id, sort),
        CatalogSort.Newest => new CatalogCursor(last.CreatedAt.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture), last.Id, sort),
        _ => new CatalogCursor(last.Name, last.Id),
    };

    /// <summary>Products for sale; withdrawn ones are only found by id (their product page, old orders) and on their seller's page.</summary>
    private IQueryable<ProductRow> Filtered(CatalogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = Views().Where(p => p.IsAvailable);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // Case-insensitive substring match that behaves the same on SQLite and PostgreSQL:
            // EF translates ToLower to SQL lower(), so the culture rules below do not apply.
            var term = filter.Search.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862
            query = query.Where(p => p.Name.ToLower().Contains(term) || p.Description.ToLower().Contains(term) || p.Category.ToLower().Contains(term));
#pragma warning restore CA1304, CA1311, CA1862
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(p => p.Kind == kind);
        }

        if (!string.IsNullOrWhiteSpace(filter.Category))
        {
            query = query.Where(p => p.Category == filter.Category);
        }

        return query;
    }

    public async Task<ProductView?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await Views().SingleOrDefaultAsync(p => p.Id == id, cancellationToken))?.ToView();

    /// <summary>One of the seller's own products as stored, licence text included; null for anyone else's.</summary>
    public Task<Product?> FindForSellerAsync(Guid sellerId, Guid productId, CancellationToken cancellationToken = default) =>
        db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == productId && p.SellerId == sellerId, cancellationToken);

    /// <summary>The seller's own products as stored (licence texts included), available or not, by name.</summary>
    public async Task<IReadOnlyList<Product>> OwnProductsAsync(Guid sellerId, CancellationToken cancellationToken = default) =>
        await db.Products.AsNoTracking().Where(p => p.SellerId == sellerId).OrderBy(p => p.Name).ThenBy(p => p.Id).ToListAsync(cancellationToken);

    /// <summary>Everything this seller lists, available or not, by name.</summary>
    public async Task<IReadOnlyList<ProductView>> BySellerAsync(Guid sellerId, CancellationToken cancellationToken = default)
    {
        var rows = await Views().Where(p => p.SellerId == sellerId).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return rows.Select(r => r.ToView()).ToList();
    }

    private static readonly CompiledPerModel<Func<MarketplaceDb, CancellationToken, Task<long>>> Version = new(() => EF.CompileAsyncQuery(
        (MarketplaceDb db, CancellationToken cancellationToken) => db.CatalogVersions.Where(v => v.Id == CatalogVersion.RowId).Select(v => v.Version).SingleOrDefault()));

    /// <summary>The catalog's version as committed now (<see cref="CatalogVersion"/>); 0 before the first product write.</summary>
    public Task<long> VersionAsync(CancellationToken cancellationToken = default) => Version.For(db)(db, cancellationToken);

    // Compiled: the catalog page lists the categories on every view.
    private static readonly CompiledPerModel<Func<MarketplaceDb, IAsyncEnumerable<string>>> Categories = new(() => EF.CompileAsyncQuery<MarketplaceDb, string>(
        (MarketplaceDb db) => db.Products.Where(p => p.IsAvailable).Select(p => p.Category).Distinct().OrderBy(c => c)));

    public async Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken cancellationToken = default)
    {
        var categories = new List<string>();
        await foreach (var category in Categories.For(db)(db).WithCancellation(cancellationToken))
        {
            categories.Add(category);
        }

        return categories;
    }

    private IQueryable<ProductRow> Views() =>
        from p in db.Products.AsNoTracking()
        join u in db.Set<User>() on p.SellerId equals u.Id
        select new ProductRow
        {
            Id = p.Id,
            Name = p.Name,
            Description = p.Description,
            Category = p.Category,
            Kind = p.Kind,
            PriceUnits = p.PriceUnits,
            IsAvailable = p.IsAvailable,
            CreatedAt = p.CreatedAt,
            SellerId = p.SellerId,
            SellerName = u.DisplayName,
            FileName = p.FileName,
            FileContentType = p.FileContentType,
            FileSizeBytes = p.FileSizeBytes,
            HasLicence = p.LicenceText != null,
        };

    // Init properties rather than a positional record: EF can filter and sort on member bindings only.
    private sealed class ProductRow
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = string.Empty;

        public string Description { get; init; } = string.Empty;

        public string Category { get; init; } = string.Empty;

        public ProductKind Kind { get; init; }

        public long PriceUnits { get; init; }

        public bool IsAvailable { get; init; }

        public DateTime CreatedAt { get; init; }

        public Guid SellerId { get; init; }

        public string SellerName { get; init; } = string.Empty;

        public string? FileName { get; init; }

        public string? FileContentType { get; init; }

        public long? FileSizeBytes { get; init; }

        public bool HasLicence { get; init; }

        public ProductView ToView() => new(Id, Name, Description, Category, Kind, new Credits(PriceUnits), IsAvailable, SellerId, SellerName)
        {
            Delivery = new DeliverySummary(FileName, FileContentType, FileSizeBytes, HasLicence),
        };
    }
}
