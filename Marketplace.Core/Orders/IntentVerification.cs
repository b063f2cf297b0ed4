using System.Security.Cryptography;
using System.Text;
using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Orders;

/// <summary>A signed intent whose bytes are well-formed, signed by the signed-in user's registered key, for this site.</summary>
internal sealed record VerifiedIntent(SignedIntent Intent, string SignerName);

/// <summary>
/// The first checks of product.md's order, each with its own answer: the body is well-formed, the public key is the
/// one registered to the signed-in user, the signature is valid over the exact intent bytes, the audience is this site.
/// Nothing here reads or writes money.
/// </summary>
internal sealed class IntentVerification(MarketplaceDb db)
{
    public async Task<(VerifiedIntent? Verified, PurchaseResult? Refused)> VerifyAsync(
        Guid userId, string? intentText, string? publicKey, string? signature, string audience, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(intentText))
        {
            return Refuse(new PurchaseResult.Malformed("missing_field", "intent", "Send the signed intent as a JSON string in 'intent'."));
        }

        var (intent, malformed) = SignedIntent.Parse(intentText);
        if (malformed is not null)
        {
            return Refuse(malformed);
        }

        if (SignatureInput.DecodePublicKey(publicKey, out var key) is { } badKey)
        {
            return Refuse(Malformed(badKey));
        }

        if (SignatureInput.DecodeSignature(signature, out var signatureBytes) is { } badSignature)
        {
            return Refuse(Malformed(badSignature));
        }

        var signer = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.PublicKey, u.DisplayName })
            .SingleOrDefaultAsync(cancellationToken);
        if (signer?.PublicKey is null || !CryptographicOperations.FixedTimeEquals(signer.PublicKey, key))
        {
            return Refuse(new PurchaseResult.WrongKey());
        }

        if (!Ed25519.Verify(key, Encoding.UTF8.GetBytes(intent!.Text), signatureBytes))
        {
            return Refuse(new PurchaseResult.BadSignature());
        }

        if (!string.Equals(intent.Audience, audience, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(new PurchaseResult.WrongAudience(audience));
        }

        return (new VerifiedIntent(intent, signer.DisplayName), null);
    }

    private static PurchaseResult.Malformed Malformed(EncodingProblem problem) => new(problem.Code, problem.Field, problem.Message);

    private static (VerifiedIntent?, PurchaseResult?) Refuse(PurchaseResult result) => (null, result);
}
