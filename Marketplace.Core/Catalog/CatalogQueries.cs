using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Catalog;

public sealed record ProductView(Guid Id, string Name, string Description, string Category, ProductKind Kind, Credits Price, bool IsAvailable, Guid SellerId, string SellerName);

public sealed record CatalogFilter(string? Search = null, ProductKind? Kind = null, string? Category = null);

public sealed class CatalogQueries(MarketplaceDb db)
{
    public const int MaxSearchLength = 100;

    public async Task<IReadOnlyList<ProductView>> SearchAsync(CatalogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = Views();
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

        var rows = await query.OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return rows.Select(r => r.ToView()).ToList();
    }

    public async Task<ProductView?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await Views().SingleOrDefaultAsync(p => p.Id == id, cancellationToken))?.ToView();

    /// <summary>Everything this seller lists, available or not, by name.</summary>
    public async Task<IReadOnlyList<ProductView>> BySellerAsync(Guid sellerId, CancellationToken cancellationToken = default)
    {
        var rows = await Views().Where(p => p.SellerId == sellerId).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return rows.Select(r => r.ToView()).ToList();
    }

    public async Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken cancellationToken = default) =>
        await db.Products.Select(p => p.Category).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);

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
            SellerId = p.SellerId,
            SellerName = u.DisplayName,
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

        public Guid SellerId { get; init; }

        public string SellerName { get; init; } = string.Empty;

        public ProductView ToView() => new(Id, Name, Description, Category, Kind, new Credits(PriceUnits), IsAvailable, SellerId, SellerName);
    }
}
