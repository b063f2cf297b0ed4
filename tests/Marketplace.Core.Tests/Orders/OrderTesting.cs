using System.Text;
using System.Text.Json;
using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;

namespace Marketplace.Core.Tests.Orders;

/// <summary>A user with a real key, who signs intents the way the browser does.</summary>
internal sealed record Signer(Guid Id, Ed25519KeyPair Keys, long AvailableId, long HeldId)
{
    public string PublicKey => StrictBase64Url.Encode(Keys.PublicKey);

    public string Sign(string intent) => StrictBase64Url.Encode(Ed25519.Sign(Keys.PrivateKeySeed, Encoding.UTF8.GetBytes(intent)));
}

internal static class OrderTesting
{
    public const string Origin = "http://localhost";

    public static MarketplaceOptions Options { get; } = new();

    public static PurchaseService Purchases(this TestDatabase database, MarketplaceDb db, ReceiptSigner signer)
    {
        var ledger = database.Ledger(db);
        return new PurchaseService(db, ledger, new Receipts(signer), Options, database.Clock, database.Writer);
    }

    public static SellerService Sellers(this TestDatabase database, MarketplaceDb db)
    {
        var ledger = database.Ledger(db);
        return new SellerService(db, ledger, new HoldService(db, ledger, database.Clock), database.Clock);
    }

    public static async Task<Signer> CreateSignerAsync(this TestDatabase database, long fundedUnits = 1000_00)
    {
        var id = Guid.NewGuid();
        var keys = Ed25519.Generate();
        await using (var db = database.NewContext())
        {
            db.Users.Add(User.Register(id, $"{id:N}@example.test", "Signer", keys.PublicKey, database.Clock.UtcNow));
            database.Ledger(db).OpenUserAccounts(id);
            await db.SaveChangesAsync();
        }

        await using var read = database.NewContext();
        var accounts = await database.Ledger(read).UserAccountsAsync(id);
        var user = new TestUser(id, accounts.AvailableId, accounts.HeldId);
        if (fundedUnits > 0)
        {
            await database.FundAsync(user, fundedUnits);
        }

        return new Signer(id, keys, accounts.AvailableId, accounts.HeldId);
    }

    public static async Task<Guid> ListAsync(this TestDatabase database, Guid sellerId, long priceUnits, ProductKind kind)
    {
        await using var db = database.NewContext();
        var product = Product.List(Guid.NewGuid(), sellerId, $"Test {kind}", "For tests.", "Tests", kind, new Credits(priceUnits), database.Clock.UtcNow);
        db.Products.Add(product);
        await db.SaveChangesAsync();
        return product.Id;
    }

    public static string Spend(this TestDatabase database, Guid productId, long amountUnits, string? nonce = null, long? timestamp = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["action"] = "spend",
            ["amount"] = new Credits(amountUnits).ToDecimalString(),
            ["currency"] = "MC",
            ["product_id"] = productId.ToString(),
            ["quantity"] = 1,
            ["timestamp"] = timestamp ?? database.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
            ["nonce"] = nonce ?? StrictBase64Url.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            ["audience"] = Origin,
        });

    public static async Task<PurchaseResult> ExecuteAsync(this TestDatabase database, ReceiptSigner receiptSigner, Signer signer, string intent)
    {
        await using var db = database.NewContext();
        return await database.Purchases(db, receiptSigner).ExecuteAsync(signer.Id, intent, signer.PublicKey, signer.Sign(intent), Origin);
    }

    public static async Task<Order> BuyAsync(this TestDatabase database, ReceiptSigner receiptSigner, Signer signer, Guid productId, long priceUnits) =>
        Assert.IsType<PurchaseResult.Succeeded>(await database.ExecuteAsync(receiptSigner, signer, database.Spend(productId, priceUnits))).Order;

    public static async Task<Order> StoredOrderAsync(this TestDatabase database, Guid orderId)
    {
        await using var db = database.NewContext();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Orders, o => o.Id == orderId);
    }
}

/// <summary>A receipt key in its own temp folder per test class.</summary>
public sealed class ReceiptKeyFixture : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "marketplace-core-tests", Guid.NewGuid().ToString("N"));

    public ReceiptKeyFixture() => Signer = ReceiptSigner.LoadOrCreate(ReceiptSigner.DefaultKeyFile(_directory));

    public ReceiptSigner Signer { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
