using System.Globalization;
using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Marketplace.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Catalog;

/// <summary>What a seller fills in to list a product; raw text as posted, validated by <see cref="ProductListings"/>.</summary>
/// <param name="Licence">The licence text a digital product delivers, if any.</param>
/// <param name="File">The file a digital product delivers, if any.</param>
public sealed record NewListing(string? Title, string? Description, string? Price, string? Kind, string? Category, string? Licence = null, DeliveryUpload? File = null);

/// <summary>
/// A seller's changes to a listing; a null field stays as it is. An empty <paramref name="Licence"/> removes the licence,
/// a <paramref name="File"/> replaces the file and <paramref name="RemoveFile"/> removes it. The kind is fixed at listing.
/// </summary>
public sealed record ListingEdit(string? Title = null, string? Description = null, string? Price = null, string? Category = null, string? Licence = null, DeliveryUpload? File = null, bool RemoveFile = false);

public abstract record ListingResult
{
    private ListingResult()
    {
    }

    public sealed record Listed(Guid ProductId) : ListingResult;

    /// <summary>An edit, withdrawal or relisting is done (or there was nothing to change); the product as it is now.</summary>
    public sealed record Saved(Product Product) : ListingResult;

    /// <summary>No such product, or not this seller's.</summary>
    public sealed record NotFound : ListingResult;

    public sealed record FileTooLarge(long MaxBytes) : ListingResult;

    public sealed record Invalid(string Code, string Field, string Message) : ListingResult;
}

/// <summary>
/// Listing, editing, withdrawing and relisting products (any registered user is a seller of their own products, see
/// <see cref="CatalogQueries.BySellerAsync"/>), with what a digital product delivers: a file kept by
/// <see cref="DeliveryFileStore"/> and/or a licence text. Every refusal changes nothing: all text is checked before a
/// file is stored, and a stored file whose listing is then refused is deleted again.
/// </summary>
public sealed class ProductListings(MarketplaceDb db, MarketplaceOptions options, DeliveryFileStore files, TimeProvider clock)
{
    public const int MaxTitleLength = 120;
    public const int MaxDescriptionLength = 2000;
    public const int MaxCategoryLength = 60;
    public const int MaxLicenceLength = 10_000;
    public const string DefaultCategory = "Other";

    public async Task<ListingResult> ListAsync(Guid sellerId, NewListing listing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var (fields, refused) = ReadFields(listing.Title, listing.Description, listing.Price, listing.Category);
        if (refused is not null)
        {
            return refused;
        }

        if (!WireName.TryParse<ProductKind>(listing.Kind?.Trim(), out var kind, ignoreCase: true))
        {
            return new ListingResult.Invalid("invalid_kind", "kind", "Choose Digital or Service.");
        }

        var (licence, licenceRefused) = ReadLicence(listing.Licence);
        if (licenceRefused is not null)
        {
            return licenceRefused;
        }

        if (DeliveryRefusal(kind, hasFile: listing.File is not null, hasLicence: licence is not null) is { } deliveryRefused)
        {
            return deliveryRefused;
        }

        if (!await db.Set<User>().AnyAsync(u => u.Id == sellerId, cancellationToken))
        {
            return new ListingResult.Invalid("unknown_seller", "seller", "Only registered users can list products.");
        }

        var (file, fileRefused) = await StoreAsync(listing.File, cancellationToken);
        if (fileRefused is not null)
        {
            return fileRefused;
        }

        var listed = false;
        try
        {
            // Counted and inserted in one write transaction, so parallel posts cannot slip past the limit together.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await db.Products.CountAsync(p => p.SellerId == sellerId, cancellationToken) >= options.MaxListingsPerSeller)
            {
                return new ListingResult.Invalid("too_many_listings", "listing", $"A seller can list at most {options.MaxListingsPerSeller} products.");
            }

            var product = Product.List(Guid.NewGuid(), sellerId, fields.Title, fields.Description, fields.Category, kind, fields.Price, clock.GetUtcNow().UtcDateTime);
            product.SetDelivery(file, licence);
            db.Products.Add(product);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            listed = true;
            return new ListingResult.Listed(product.Id);
        }
        finally
        {
            if (!listed && file is not null)
            {
                files.Delete(file.Id);
            }
        }
    }

    /// <summary>Changes one of the seller's products. Orders already made keep what they paid; buyers download the product's file as it is now.</summary>
    public async Task<ListingResult> EditAsync(Guid sellerId, Guid productId, ListingEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var product = await db.Products.SingleOrDefaultAsync(p => p.Id == productId && p.SellerId == sellerId, cancellationToken);
        if (product is null)
        {
            return new ListingResult.NotFound();
        }

        var (fields, refused) = ReadFields(
            edit.Title ?? product.Name,
            edit.Description ?? product.Description,
            edit.Price ?? product.Price.ToDecimalString(),
            edit.Category ?? product.Category);
        if (refused is not null)
        {
            return refused;
        }

        var (licence, licenceRefused) = edit.Licence is null ? (product.LicenceText, (ListingResult.Invalid?)null) : ReadLicence(edit.Licence);
        if (licenceRefused is not null)
        {
            return licenceRefused;
        }

        if (edit.File is not null && edit.RemoveFile)
        {
            return new ListingResult.Invalid("file_and_remove_file", "file", "Either replace the file or remove it, not both.");
        }

        // Buyers download the product's current file, so a sold file may be replaced by a new version but not taken
        // away from the people who paid for it.
        if (edit.RemoveFile && product.FileId is not null && await db.Orders.AnyAsync(o => o.ProductId == productId, cancellationToken))
        {
            return new ListingResult.Invalid("file_sold", "file", "This file has been sold: its buyers download it. Upload a new version instead of removing it.");
        }

        var keepsFile = !edit.RemoveFile && product.FileId is not null;
        if (DeliveryRefusal(product.Kind, hasFile: edit.File is not null || keepsFile, hasLicence: licence is not null) is { } deliveryRefused)
        {
            return deliveryRefused;
        }

        var (file, fileRefused) = await StoreAsync(edit.File, cancellationToken);
        if (fileRefused is not null)
        {
            return fileRefused;
        }

        var previous = product.File;
        try
        {
            product.Edit(fields.Title, fields.Description, fields.Category, fields.Price);
            product.SetDelivery(file ?? (keepsFile ? previous : null), licence);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            if (file is not null)
            {
                files.Delete(file.Id);
            }

            throw;
        }

        // Only once no row names it any more: a download that already opened it keeps reading it.
        if (previous is not null && product.FileId != previous.Id)
        {
            files.Delete(previous.Id);
        }

        return new ListingResult.Saved(product);
    }

    /// <summary>Takes the product off sale: the catalog hides it and purchases are refused, while its past orders keep their downloads.</summary>
    public Task<ListingResult> WithdrawAsync(Guid sellerId, Guid productId, CancellationToken cancellationToken = default) =>
        SetAvailableAsync(sellerId, productId, available: false, cancellationToken);

    /// <summary>Puts a withdrawn product back on sale.</summary>
    public Task<ListingResult> RelistAsync(Guid sellerId, Guid productId, CancellationToken cancellationToken = default) =>
        SetAvailableAsync(sellerId, productId, available: true, cancellationToken);

    private async Task<ListingResult> SetAvailableAsync(Guid sellerId, Guid productId, bool available, CancellationToken cancellationToken)
    {
        var changed = await db.Products.Where(p => p.Id == productId && p.SellerId == sellerId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.IsAvailable, available), cancellationToken);
        if (changed == 0)
        {
            return new ListingResult.NotFound();
        }

        return new ListingResult.Saved(await db.Products.AsNoTracking().SingleAsync(p => p.Id == productId, cancellationToken));
    }

    private (ListingFields Fields, ListingResult.Invalid? Refused) ReadFields(string? titleText, string? descriptionText, string? priceText, string? categoryText)
    {
        var title = titleText?.Trim() ?? string.Empty;
        if (title.Length == 0 || title.Length > MaxTitleLength)
        {
            return Refuse("invalid_title", "title", $"Give the product a title of 1 to {MaxTitleLength} characters.");
        }

        var description = descriptionText?.Trim() ?? string.Empty;
        if (description.Length == 0 || description.Length > MaxDescriptionLength)
        {
            return Refuse("invalid_description", "description", $"Describe the product in 1 to {MaxDescriptionLength} characters.");
        }

        switch (Credits.TryParse(priceText, out var price))
        {
            case AmountParse.Ok when price.Units > 0 && !options.Exceeds(price):
                break;
            case AmountParse.Ok when price.Units > 0:
            case AmountParse.TooLarge:
                return Refuse("amount_too_large", "price", $"A price can be at most {options.MaxAmount.ToDisplayString()}.");
            case AmountParse.TooPrecise:
                return Refuse("price_too_precise", "price", "Credits have at most two decimal places.");
            case AmountParse.Ok or AmountParse.Negative:
                return Refuse("price_not_positive", "price", "The price must be more than zero.");
            default:
                return Refuse("invalid_price", "price", "Write the price as a decimal number such as 12.50.");
        }

        var category = string.IsNullOrWhiteSpace(categoryText) ? DefaultCategory : categoryText.Trim();
        if (category.Length > MaxCategoryLength)
        {
            return Refuse("invalid_category", "category", $"A category has at most {MaxCategoryLength} characters.");
        }

        return (new ListingFields(title, description, category, price), null);

        static (ListingFields, ListingResult.Invalid?) Refuse(string code, string field, string message) => (default, new ListingResult.Invalid(code, field, message));
    }

    /// <summary>Blank means no licence. Line breaks and tabs are kept (the text is shown as written); other control characters are refused.</summary>
    private static (string? Licence, ListingResult.Invalid? Refused) ReadLicence(string? text)
    {
        var licence = text?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(licence))
        {
            return (null, null);
        }

        if (licence.Length > MaxLicenceLength || licence.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
        {
            return (null, new ListingResult.Invalid("invalid_licence", "licence", $"A licence text has at most {MaxLicenceLength.ToString("N0", CultureInfo.InvariantCulture)} characters, and no control characters other than line breaks and tabs."));
        }

        return (licence, null);
    }

    private static ListingResult.Invalid? DeliveryRefusal(ProductKind kind, bool hasFile, bool hasLicence) => kind switch
    {
        ProductKind.Service when hasFile || hasLicence => new ListingResult.Invalid(
            "delivery_for_service", hasFile ? "file" : "licence", "Only digital products deliver a file or a licence text; a service is delivered by you, and you mark it delivered."),
        ProductKind.Digital when !hasFile && !hasLicence => new ListingResult.Invalid(
            "delivery_required", "file", "A digital product delivers a file, a licence text or both: attach what the buyer gets."),
        _ => null,
    };

    private async Task<(DeliveryFile? File, ListingResult? Refused)> StoreAsync(DeliveryUpload? upload, CancellationToken cancellationToken) =>
        upload is null ? (null, null) : await files.StoreAsync(upload, cancellationToken) switch
        {
            StoreResult.Stored stored => (stored.File, null),
            StoreResult.TooLarge tooLarge => (null, new ListingResult.FileTooLarge(tooLarge.MaxBytes)),
            StoreResult.Refused refused => (null, new ListingResult.Invalid(refused.Code, "file", refused.Message)),
            var other => throw new InvalidOperationException($"Unexpected {other}."),
        };

    private readonly record struct ListingFields(string Title, string Description, string Category, Credits Price);
}
