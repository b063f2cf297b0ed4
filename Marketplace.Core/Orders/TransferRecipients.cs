using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

/// <summary>What a transfer's review step may show about its recipient (issue 14, defect 6).</summary>
public abstract record RecipientLookup
{
    /// <summary>A verified account other than the sender's: its display name, and nothing else.</summary>
    public sealed record Found(string DisplayName) : RecipientLookup;

    /// <summary>No account, or one that has not verified its address: the two look the same, so a lookup tells no more than a transfer would.</summary>
    public sealed record NotFound : RecipientLookup;

    public sealed record Self : RecipientLookup;
}

public sealed class TransferRecipients(MarketplaceDb db)
{
    public async Task<RecipientLookup> LookUpAsync(Guid senderId, string? email, CancellationToken cancellationToken)
    {
        // No account's address holds a control character; PostgreSQL cannot even be asked about a NUL in a text value.
        if (string.IsNullOrWhiteSpace(email) || email.Length > 254 || email.Any(char.IsControl))
        {
            return new RecipientLookup.NotFound();
        }

        var normalized = User.NormalizeEmail(email);
        var recipient = await db.Users.AsNoTracking()
            .Where(u => u.Email == normalized)
            .Select(u => new { u.Id, u.DisplayName, Verified = u.EmailVerifiedAt != null })
            .SingleOrDefaultAsync(cancellationToken);
        if (recipient is null || !recipient.Verified)
        {
            return new RecipientLookup.NotFound();
        }

        return recipient.Id == senderId ? new RecipientLookup.Self() : new RecipientLookup.Found(recipient.DisplayName);
    }
}
