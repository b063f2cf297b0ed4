using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Identity;

public abstract record AuthResult
{
    private AuthResult()
    {
    }

    public sealed record SignedIn(User User) : AuthResult;

    /// <summary>Bad input the caller can fix: <paramref name="Field"/> names what is wrong.</summary>
    public sealed record Invalid(string Code, string Field, string Message) : AuthResult;

    /// <summary>Unknown, expired, used, or issued for something else.</summary>
    public sealed record ChallengeRejected : AuthResult;

    public sealed record BadSignature : AuthResult;

    public sealed record EmailTaken : AuthResult;

    /// <summary>No such user, or a user without a key; indistinguishable from a bad signature to the caller.</summary>
    public sealed record UnknownUser : AuthResult;
}

public sealed record IssuedChallenge(string Challenge, DateTime ExpiresAt);

/// <summary>Challenges, registration and login by Ed25519 signature. The server never sees a private key.</summary>
public sealed class AuthService(MarketplaceDb db, LedgerService ledger, MarketplaceOptions options, TimeProvider clock)
{
    public async Task<IssuedChallenge> IssueChallengeAsync(ChallengePurpose purpose, string? email, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Expired challenges are useless; clearing them here keeps the table small without a job.
        await db.AuthChallenges.Where(c => c.ExpiresAt < now.AddHours(-1)).ExecuteDeleteAsync(cancellationToken);
        var value = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = AuthChallenge.Issue(value, purpose, email is null ? null : User.NormalizeEmail(email), now, options.ChallengeLifetime);
        db.AuthChallenges.Add(challenge);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedChallenge(value, challenge.ExpiresAt);
    }

    public async Task<AuthResult> RegisterAsync(string email, string displayName, string publicKey, string challenge, string signature, CancellationToken cancellationToken = default)
    {
        if (ValidateEmail(email) is { } badEmail)
        {
            return badEmail;
        }

        if (DisplayNames.Normalize(displayName, out var nameProblem) is not { } name)
        {
            return new AuthResult.Invalid("invalid_display_name", "display_name", nameProblem);
        }

        if (SignatureInput.DecodePublicKey(publicKey, out var key) is { } badKey)
        {
            return Invalid(badKey);
        }

        if (SignatureInput.DecodeSignature(signature, out var signatureBytes) is { } badSignature)
        {
            return Invalid(badSignature);
        }

        var normalized = User.NormalizeEmail(email);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await ConsumeChallengeAsync(challenge, ChallengePurpose.Register, normalized, cancellationToken))
        {
            return new AuthResult.ChallengeRejected();
        }

        if (!Ed25519.Verify(key, Encoding.UTF8.GetBytes(challenge), signatureBytes))
        {
            // Commit: the challenge stays used, so a failed attempt cannot be retried with it.
            await transaction.CommitAsync(cancellationToken);
            return new AuthResult.BadSignature();
        }

        if (await db.Users.AnyAsync(u => u.Email == normalized, cancellationToken))
        {
            await transaction.CommitAsync(cancellationToken);
            return new AuthResult.EmailTaken();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var user = User.Register(Guid.NewGuid(), normalized, name, key, now);
        db.Users.Add(user);
        ledger.OpenUserAccounts(user.Id);
        await db.SaveChangesAsync(cancellationToken);

        if (options.DemoPayment && options.WelcomeGrant.Units > 0)
        {
            var accounts = await ledger.UserAccountsAsync(user.Id, cancellationToken);
            var promotions = await ledger.AccountIdAsync(AccountCodes.Promotions, cancellationToken);
            var grant = options.WelcomeGrant.Units;
            var posted = await ledger.PostAsync(
                new Posting($"welcome:{user.Id:N}", TransactionKind.WelcomeGrant, "Welcome credits", [new(promotions, -grant), new(accounts.AvailableId, grant)]),
                cancellationToken);
            if (posted is not PostingResult.Posted)
            {
                throw new InvalidOperationException($"The welcome grant for a new user could not be posted: {posted}.");
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new AuthResult.SignedIn(user);
    }

    public async Task<AuthResult> LoginAsync(string email, string challenge, string signature, CancellationToken cancellationToken = default)
    {
        if (ValidateEmail(email) is { } badEmail)
        {
            return badEmail;
        }

        if (SignatureInput.DecodeSignature(signature, out var signatureBytes) is { } badEncoding)
        {
            return Invalid(badEncoding);
        }

        var normalized = User.NormalizeEmail(email);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await ConsumeChallengeAsync(challenge, ChallengePurpose.Login, normalized, cancellationToken))
        {
            return new AuthResult.ChallengeRejected();
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (user?.PublicKey is null)
        {
            return new AuthResult.UnknownUser();
        }

        return Ed25519.Verify(user.PublicKey, Encoding.UTF8.GetBytes(challenge), signatureBytes)
            ? new AuthResult.SignedIn(user)
            : new AuthResult.BadSignature();
    }

    public Task<User?> FindAsync(Guid userId, CancellationToken cancellationToken = default) =>
        db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);

    private Task<bool> ConsumeChallengeAsync(string value, ChallengePurpose purpose, string email, CancellationToken cancellationToken) =>
        AuthChallenge.TryConsumeAsync(db, value, purpose, email, clock.GetUtcNow().UtcDateTime, cancellationToken);

    private static AuthResult.Invalid Invalid(EncodingProblem problem) => new(problem.Code, problem.Field, problem.Message);

    internal static AuthResult.Invalid? ValidateEmail(string email)
    {
        var trimmed = email.Trim();
        return trimmed.Length is 0 or > User.MaxEmailLength || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed
            ? new AuthResult.Invalid("invalid_email", "email", "Enter a valid email address.")
            : null;
    }
}
