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

    public Credits Price => new(PriceUnits);

    /// <summary>A new listing by <paramref name="sellerId"/>, available at once.</summary>
    public static Product List(Guid id, Guid sellerId, string name, string description, string category, ProductKind kind, Credits price, DateTime now)
    {
        if (price.Units <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, "A product's price must be positive.");
        }

        return Seed(id, sellerId, name, description, category, kind, price.Units, now);
    }

    /// <summary>Withdrawn products stay visible on old orders but cannot be bought.</summary>
    public void SetAvailable(bool available) => IsAvailable = available;

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
