using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Marketplace.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Catalog;

/// <summary>What a seller fills in to list a product; raw text as posted, validated by <see cref="ProductListings"/>.</summary>
public sealed record NewListing(string? Title, string? Description, string? Price, string? Kind, string? Category);

public abstract record ListingResult
{
    private ListingResult()
    {
    }

    public sealed record Listed(Guid ProductId) : ListingResult;

    public sealed record Invalid(string Code, string Field, string Message) : ListingResult;
}

/// <summary>Listing a new product, which makes any registered user a seller (their products: <see cref="CatalogQueries.BySellerAsync"/>).</summary>
public sealed class ProductListings(MarketplaceDb db, MarketplaceOptions options, TimeProvider clock)
{
    public const int MaxTitleLength = 120;
    public const int MaxDescriptionLength = 2000;
    public const int MaxCategoryLength = 60;
    public const string DefaultCategory = "Other";

    public async Task<ListingResult> ListAsync(Guid sellerId, NewListing listing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var title = listing.Title?.Trim() ?? string.Empty;
        if (title.Length == 0 || title.Length > MaxTitleLength)
        {
            return new ListingResult.Invalid("invalid_title", "title", $"Give the product a title of 1 to {MaxTitleLength} characters.");
        }

        var description = listing.Description?.Trim() ?? string.Empty;
        if (description.Length == 0 || description.Length > MaxDescriptionLength)
        {
            return new ListingResult.Invalid("invalid_description", "description", $"Describe the product in 1 to {MaxDescriptionLength} characters.");
        }

        switch (Credits.TryParse(listing.Price, out var price))
        {
            case AmountParse.Ok when price.Units > 0 && !options.Exceeds(price):
                break;
            case AmountParse.Ok when price.Units > 0:
            case AmountParse.TooLarge:
                return new ListingResult.Invalid("amount_too_large", "price", $"A price can be at most {options.MaxAmount.ToDisplayString()}.");
            case AmountParse.TooPrecise:
                return new ListingResult.Invalid("price_too_precise", "price", "Credits have at most two decimal places.");
            case AmountParse.Ok or AmountParse.Negative:
                return new ListingResult.Invalid("price_not_positive", "price", "The price must be more than zero.");
            default:
                return new ListingResult.Invalid("invalid_price", "price", "Write the price as a decimal number such as 12.50.");
        }

        if (!WireName.TryParse<ProductKind>(listing.Kind?.Trim(), out var kind, ignoreCase: true))
        {
            return new ListingResult.Invalid("invalid_kind", "kind", "Choose Digital or Service.");
        }

        var category = string.IsNullOrWhiteSpace(listing.Category) ? DefaultCategory : listing.Category.Trim();
        if (category.Length > MaxCategoryLength)
        {
            return new ListingResult.Invalid("invalid_category", "category", $"A category has at most {MaxCategoryLength} characters.");
        }

        if (!await db.Set<User>().AnyAsync(u => u.Id == sellerId, cancellationToken))
        {
            return new ListingResult.Invalid("unknown_seller", "seller", "Only registered users can list products.");
        }

        // Counted and inserted in one write transaction, so parallel posts cannot slip past the limit together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Products.CountAsync(p => p.SellerId == sellerId, cancellationToken) >= options.MaxListingsPerSeller)
        {
            return new ListingResult.Invalid("too_many_listings", "listing", $"A seller can list at most {options.MaxListingsPerSeller} products.");
        }

        var product = Product.List(Guid.NewGuid(), sellerId, title, description, category, kind, price, clock.GetUtcNow().UtcDateTime);
        db.Products.Add(product);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ListingResult.Listed(product.Id);
    }
}
