namespace Marketplace.Core.Catalog;

public enum ProductKind
{
    /// <summary>Delivered at once: the seller is paid at purchase.</summary>
    Digital = 1,

    /// <summary>Delivered later: the buyer's credits are held until the seller delivers.</summary>
    Service = 2,
}

public sealed class Product
{
    private Product()
    {
    }

    public Guid Id { get; private set; }

    public Guid SellerId { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string Description { get; private set; } = string.Empty;

    public string Category { get; private set; } = string.Empty;

    public ProductKind Kind { get; private set; }

    public long PriceUnits { get; private set; }

    public bool IsAvailable { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>What a digital product's buyer receives besides (or instead of) a file; null when there is none.</summary>
    public string? LicenceText { get; private set; }

    /// <summary>The stored file a digital product delivers (see <see cref="DeliveryFileStore"/>); null when there is none.</summary>
    public Guid? FileId { get; private set; }

    /// <summary>The file's name as buyers download it, sanitised when it was uploaded.</summary>
    public string? FileName { get; private set; }

    /// <summary>The content type the file's bytes were found to be, never the one the uploader claimed.</summary>
    public string? FileContentType { get; private set; }

    public long? FileSizeBytes { get; private set; }

    /// <summary>Lowercase hex SHA-256 of the file's bytes.</summary>
    public string? FileSha256 { get; private set; }

    public Credits Price => new(PriceUnits);

    public DeliveryFile? File => FileId is { } id ? new DeliveryFile(id, FileName!, FileContentType!, FileSizeBytes!.Value, FileSha256!) : null;

    /// <summary>A new listing by <paramref name="sellerId"/>, available at once.</summary>
    public static Product List(Guid id, Guid sellerId, string name, string description, string category, ProductKind kind, Credits price, DateTime now)
    {
        if (price.Units <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, "A product's price must be positive.");
        }

        return Seed(id, sellerId, name, description, category, kind, price.Units, now);
    }

    /// <summary>Withdrawn products stay visible on old orders (and their files downloadable) but cannot be bought.</summary>
    public void SetAvailable(bool available) => IsAvailable = available;

    /// <summary>
    /// A seller's edit. A new price applies to purchases from now on: an order keeps the price it was paid at
    /// (<see cref="Orders.Order.UnitPriceUnits"/>), and a signed intent with the old price is refused as a mismatch.
    /// </summary>
    public void Edit(string name, string description, string category, Credits price)
    {
        if (price.Units <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, "A product's price must be positive.");
        }

        Name = name;
        Description = description;
        Category = category;
        PriceUnits = price.Units;
    }

    /// <summary>What a digital product delivers: a stored file, a licence text, or both. Services deliver neither.</summary>
    public void SetDelivery(DeliveryFile? file, string? licenceText)
    {
        if (Kind != ProductKind.Digital && (file is not null || licenceText is not null))
        {
            throw new InvalidOperationException($"Product {Id} is a service; only digital products deliver a file or a licence.");
        }

        LicenceText = licenceText;
        FileId = file?.Id;
        FileName = file?.Name;
        FileContentType = file?.ContentType;
        FileSizeBytes = file?.SizeBytes;
        FileSha256 = file?.Sha256;
    }

    internal static Product Seed(Guid id, Guid sellerId, string name, string description, string category, ProductKind kind, long priceUnits, DateTime now) => new()
    {
        Id = id,
        SellerId = sellerId,
        Name = name,
        Description = description,
        Category = category,
        Kind = kind,
        PriceUnits = priceUnits,
        IsAvailable = true,
        CreatedAt = now,
    };
}
