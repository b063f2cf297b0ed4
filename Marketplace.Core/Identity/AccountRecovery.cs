using System.Security.Cryptography;
using System.Text;
using Marketplace.Core.Admin;
using Marketplace.Core.Mail;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Core.Identity;

public abstract record RecoveryResult
{
    private RecoveryResult()
    {
    }

    /// <summary>The key is set (<see cref="RecoveryKeySet"/>) or the device key replaced (<see cref="Recovered"/>).</summary>
    public sealed record RecoveryKeySet : RecoveryResult;

    public sealed record Recovered(User User, int SessionsEnded) : RecoveryResult;

    public sealed record Invalid(string Code, string Field, string Message) : RecoveryResult;

    /// <summary>Unknown, expired, used, issued for something else, or not naming the key sent.</summary>
    public sealed record ChallengeRejected : RecoveryResult;

    /// <summary>
    /// A signature does not verify: while <paramref name="SettingUp"/> a recovery key, the account key's or the recovery
    /// key's; when recovering, also "no such account" and "no recovery key", so accounts cannot be probed.
    /// </summary>
    public sealed record BadSignature(bool SettingUp = false) : RecoveryResult;
}

/// <summary>
/// The recovery key and what it is for. Its challenges name a public key in the signed text itself
/// (<c>recovery-key.&lt;random&gt;.&lt;key&gt;</c>, <c>recover.&lt;random&gt;.&lt;key&gt;</c>), so a signature can only ever
/// install the key it was made for. Setting the key needs the device key's signature (a copied cookie is not
/// enough) and the recovery key's own (so the browser provably derived it). Recovering replaces the device key,
/// uses up the recovery key, ends every session and writes the audit log, in one transaction.
/// </summary>
public sealed partial class AccountRecovery(
    MarketplaceDb db, AuditLog audit, SessionCache sessions, IMailSender mail, AccountMail messages, MarketplaceOptions options, TimeProvider clock, ILogger<AccountRecovery> logger)
{
    public const string AuditAction = "account.recover";
    public const string RecoveryKeyTag = "recovery-key";
    public const string RecoverTag = "recover";

    /// <summary>A challenge for <see cref="ChallengePurpose.RecoveryKey"/> or <see cref="ChallengePurpose.Recover"/> that names <paramref name="publicKey"/>; null if the key is malformed.</summary>
    public async Task<IssuedChallenge?> IssueChallengeAsync(ChallengePurpose purpose, string email, string publicKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (SignatureInput.DecodePublicKey(publicKey, out _) is not null)
        {
            return null;
        }

        var tag = purpose switch
        {
            ChallengePurpose.RecoveryKey => RecoveryKeyTag,
            ChallengePurpose.Recover => RecoverTag,
            _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Only recovery challenges name a key."),
        };
        var value = $"{tag}.{StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(32))}.{publicKey}";
        var now = Now();
        var challenge = AuthChallenge.Issue(value, purpose, User.NormalizeEmail(email), now, options.ChallengeLifetime);
        db.AuthChallenges.Add(challenge);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedChallenge(value, challenge.ExpiresAt);
    }

    /// <summary>Sets (or replaces) the signed-in user's recovery key.</summary>
    public async Task<RecoveryResult> SetRecoveryKeyAsync(Guid userId, string publicKey, string challenge, string signature, string recoverySignature, CancellationToken cancellationToken = default)
    {
        if ((SignatureInput.DecodePublicKey(publicKey, out var key)
            ?? SignatureInput.DecodeSignature(signature, out _)
            ?? SignatureInput.DecodeSignature(recoverySignature, out _, "recovery_signature")) is { } malformed)
        {
            return Invalid(malformed);
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user?.PublicKey is null)
        {
            return new RecoveryResult.BadSignature(SettingUp: true);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!Names(challenge, RecoveryKeyTag, publicKey) || !await AuthChallenge.TryConsumeAsync(db, challenge, ChallengePurpose.RecoveryKey, user.Email, Now(), cancellationToken))
        {
            return new RecoveryResult.ChallengeRejected();
        }

        var text = Encoding.UTF8.GetBytes(challenge);
        if (!Verifies(user.PublicKey, text, signature) || !Verifies(key, text, recoverySignature))
        {
            // Commit: the challenge stays used, so a failed attempt cannot be retried with it.
            await transaction.CommitAsync(cancellationToken);
            return new RecoveryResult.BadSignature(SettingUp: true);
        }

        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.RecoveryPublicKey, key), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RecoveryResult.RecoveryKeySet();
    }

    /// <summary>On a new device: the recovery key's signature over a challenge naming <paramref name="newPublicKey"/> makes that the account's key.</summary>
    public async Task<RecoveryResult> RecoverAsync(string email, string newPublicKey, string challenge, string signature, string? ipAddress, CancellationToken cancellationToken = default)
    {
        if (AuthService.ValidateEmail(email) is { } badEmail)
        {
            return new RecoveryResult.Invalid(badEmail.Code, badEmail.Field, badEmail.Message);
        }

        if ((SignatureInput.DecodePublicKey(newPublicKey, out var newKey) ?? SignatureInput.DecodeSignature(signature, out _)) is { } malformed)
        {
            return Invalid(malformed);
        }

        var normalized = User.NormalizeEmail(email);
        var now = Now();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!Names(challenge, RecoverTag, newPublicKey) || !await AuthChallenge.TryConsumeAsync(db, challenge, ChallengePurpose.Recover, normalized, now, cancellationToken))
        {
            return new RecoveryResult.ChallengeRejected();
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user?.RecoveryPublicKey is not { } recoveryKey || user.PublicKey is null || !Verifies(recoveryKey, Encoding.UTF8.GetBytes(challenge), signature))
        {
            await transaction.CommitAsync(cancellationToken);
            return new RecoveryResult.BadSignature();
        }

        // Guarded on the recovery key still being the one that signed: two recoveries racing replace the key once.
        var replaced = await db.Users.Where(u => u.Id == user.Id && u.RecoveryPublicKey == recoveryKey)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PublicKey, newKey).SetProperty(u => u.RecoveryPublicKey, (byte[]?)null), cancellationToken);
        if (replaced != 1)
        {
            await transaction.CommitAsync(cancellationToken);
            return new RecoveryResult.BadSignature();
        }

        var ended = await db.Sessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        audit.Add(new AdminActor(user.Id, user.Email), AuditAction, $"user:{user.Id}", "Device key replaced with the recovery code", new
        {
            old_public_key = StrictBase64Url.Encode(user.PublicKey),
            new_public_key = newPublicKey,
            sessions_ended = ended,
            ip_address = ipAddress ?? string.Empty,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        sessions.Forget(user.Id);
        try
        {
            await mail.SendAsync(messages.RecoveryNotice(user.Email, user.DisplayName, now, ipAddress ?? string.Empty), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The key is replaced either way; a notice that did not go out must not make the recovery look failed.
            NoticeFailed(logger, user.Id, ex);
        }

        var updated = await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id, cancellationToken);
        return new RecoveryResult.Recovered(updated, ended);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The recovery notice for user {UserId} could not be sent.")]
    private static partial void NoticeFailed(ILogger logger, Guid userId, Exception exception);

    private static bool Names(string challenge, string tag, string publicKey) =>
        challenge.Length <= AuthChallenge.MaxLength
        && challenge.StartsWith(tag + ".", StringComparison.Ordinal)
        && challenge.EndsWith("." + publicKey, StringComparison.Ordinal);

    private static RecoveryResult.Invalid Invalid(EncodingProblem problem) => new(problem.Code, problem.Field, problem.Message);

    // Checked for encoding before anything else, so a signature that does not decode cannot get here.
    private static bool Verifies(byte[] publicKey, byte[] message, string signature) =>
        SignatureInput.DecodeSignature(signature, out var bytes) is null && Ed25519.Verify(publicKey, message, bytes);

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
