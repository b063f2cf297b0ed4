using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Core.Identity;

/// <summary>
/// Gives every app instance the same receipt key, so a receipt signed by one verifies with the public key any other
/// publishes. A configured key (<see cref="ReceiptKeyOptions"/>) wins; otherwise the key lives in <c>server_keys</c>,
/// encrypted with <see cref="ISecretProtector"/>. The first instance to start makes it (or imports the key file an
/// earlier version kept in the data directory, so receipts issued before still verify); an instance that loses the race
/// to insert it reads the winner's. A stored key that no longer decrypts stops the start: making a new one would
/// silently orphan every receipt issued so far.
/// </summary>
public static class ReceiptKeys
{
    public const string Name = "receipt-signing";

    /// <summary>Run at start, after the migrations (the database resolves the signer before the first request).</summary>
    public static ReceiptSigner Load(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<ReceiptKeyOptions>();
        if (options.ConfiguredSeed is { } configured)
        {
            return ReceiptSigner.FromSeed(configured, options.ConfiguredSource);
        }

        var protector = services.GetRequiredService<ISecretProtector>();
        var database = services.GetRequiredService<DatabaseSettings>();
        var clock = services.GetRequiredService<TimeProvider>();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        if (Stored(db) is { } stored)
        {
            return Open(db, stored, protector);
        }

        var seed = LegacyFileSeed(database) ?? Ed25519.Generate().PrivateKeySeed;
        var signer = ReceiptSigner.FromSeed(seed, "the database");
        db.ServerKeys.Add(ServerKey.Create(Name, protector.Protect(StrictBase64Url.Encode(seed)), signer.PublicKeyText, clock.GetUtcNow().UtcDateTime));
        try
        {
            db.SaveChanges();
            return signer;
        }
        catch (DbUpdateException e) when (DatabaseProvider.IsUniqueViolation(e))
        {
            // Another instance stored its key first: everyone signs with that one.
            db.ChangeTracker.Clear();
            return Open(db, Stored(db)!, protector);
        }
    }

    private static ServerKey? Stored(MarketplaceDb db) => db.ServerKeys.AsNoTracking().SingleOrDefault(k => k.Name == Name);

    private static ReceiptSigner Open(MarketplaceDb db, ServerKey stored, ISecretProtector protector)
    {
        if (protector.Unprotect(stored.ProtectedValue) is { } read && ReceiptKeyOptions.TryParse(read.Secret, out var seed))
        {
            var signer = ReceiptSigner.FromSeed(seed, "the database");
            if (signer.PublicKeyText == stored.PublicKey)
            {
                if (read.IsStale)
                {
                    // Under the current key from now on; if another instance did the same first, its copy stays.
                    db.ServerKeys.Where(k => k.Name == Name && k.ProtectedValue == stored.ProtectedValue)
                        .ExecuteUpdate(s => s.SetProperty(k => k.ProtectedValue, protector.Protect(read.Secret)));
                }

                return signer;
            }
        }

        throw new InvalidOperationException(
            $"The receipt key stored in the database (public key {stored.PublicKey}) cannot be decrypted with the data-protection keys "
            + "and certificate this instance has. If the certificate was replaced, set DataProtection__PreviousCertificatePath (and its "
            + "password) to the old one; every instance must use the same certificate. Starting with a new receipt key instead would "
            + "leave every receipt issued so far unverifiable.");
    }

    /// <summary>The key file versions before the shared key created in the data directory, if it is there.</summary>
    private static byte[]? LegacyFileSeed(DatabaseSettings database)
    {
        var file = ReceiptSigner.DefaultKeyFile(database.DataDirectory);
        if (!File.Exists(file))
        {
            return null;
        }

        return ReceiptKeyOptions.TryParse(File.ReadAllText(file), out var seed)
            ? seed
            : throw new InvalidOperationException($"The receipt key file '{file}' does not hold a 32-byte Ed25519 seed in base64url. Restore it from a backup, or delete it to start with a new key (receipts issued with the old key will then no longer verify).");
    }
}
