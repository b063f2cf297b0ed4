using System.Security.Cryptography;
using Marketplace.Core.Mail;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Core.Identity;

public abstract record VerifyEmailResult
{
    private VerifyEmailResult()
    {
    }

    public sealed record Verified(Guid UserId, string Email) : VerifyEmailResult;

    /// <summary>Unknown, already used or expired: the caller cannot tell which, and nothing changed.</summary>
    public sealed record InvalidLink : VerifyEmailResult;
}

public abstract record ResendResult
{
    private ResendResult()
    {
    }

    public sealed record Sent(string Email) : ResendResult;

    public sealed record AlreadyVerified : ResendResult;

    /// <summary>A link went out too recently (or too many today); try again after <paramref name="RetryAfter"/>.</summary>
    public sealed record TooSoon(TimeSpan RetryAfter) : ResendResult;

    /// <summary>The mail server did not take the message; the link exists but did not go out.</summary>
    public sealed record MailFailed : ResendResult;

    public sealed record UserNotFound : ResendResult;
}

/// <summary>
/// Proof that a user owns their email address: a one-time link (random, stored hashed, 24 hours), sent at
/// registration and on Resend, which is limited per user in the database so restarts and instances agree.
/// </summary>
public sealed partial class EmailVerifications(MarketplaceDb db, IMailSender mail, AccountMail messages, SessionCache sessions, TimeProvider clock, ILogger<EmailVerifications> logger)
{
    public const string LinkPath = "/Account/Verify";
    public static readonly TimeSpan ResendInterval = TimeSpan.FromMinutes(1);
    public const int MaxLinksPerDay = 5;

    /// <summary>Issues a link for the user's address and mails it; false (and logged) if the mail server refused it.</summary>
    public async Task<bool> SendAsync(Guid userId, Uri origin, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        return await IssueAndSendAsync(user, origin, cancellationToken);
    }

    public async Task<ResendResult> ResendAsync(Guid userId, Uri origin, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return new ResendResult.UserNotFound();
        }

        if (user.IsEmailVerified)
        {
            return new ResendResult.AlreadyVerified();
        }

        var now = Now();
        var recent = await db.EmailVerificationTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.CreatedAt > now.AddDays(-1))
            .Select(t => t.CreatedAt)
            .OrderByDescending(t => t)
            .ToListAsync(cancellationToken);
        if (recent.Count > 0 && now - recent[0] < ResendInterval)
        {
            return new ResendResult.TooSoon(ResendInterval - (now - recent[0]));
        }

        if (recent.Count >= MaxLinksPerDay)
        {
            return new ResendResult.TooSoon(recent[MaxLinksPerDay - 1].AddDays(1) - now);
        }

        return await IssueAndSendAsync(user, origin, cancellationToken) ? new ResendResult.Sent(user.Email) : new ResendResult.MailFailed();
    }

    /// <summary>Uses the link: one conditional update takes it, so two clicks at once verify once and the second is refused.</summary>
    public async Task<VerifyEmailResult> VerifyAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return new VerifyEmailResult.InvalidLink();
        }

        var hash = Sessions.Hash(token);
        var now = Now();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var taken = await db.EmailVerificationTokens
            .Where(t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (taken != 1)
        {
            return new VerifyEmailResult.InvalidLink();
        }

        var link = await db.EmailVerificationTokens.AsNoTracking().SingleAsync(t => t.TokenHash == hash, cancellationToken);
        // The address must still be the one the link was sent to.
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == link.UserId && u.Email == link.Email, cancellationToken);
        if (user is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new VerifyEmailResult.InvalidLink();
        }

        await db.Users.Where(u => u.Id == user.Id && u.EmailVerifiedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailVerifiedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        sessions.Forget(user.Id);
        return new VerifyEmailResult.Verified(user.Id, user.Email);
    }

    /// <summary>Links a day past their expiry are of no use to anyone; the session sweep removes them.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = Now().AddDays(-1);
        return await db.EmailVerificationTokens.Where(t => t.ExpiresAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    public static Uri LinkFor(Uri origin, string token)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return new Uri($"{origin.GetLeftPart(UriPartial.Authority)}{LinkPath}?token={token}");
    }

    private async Task<bool> IssueAndSendAsync(User user, Uri origin, CancellationToken cancellationToken)
    {
        var token = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(32));
        var link = EmailVerificationToken.Issue(Sessions.Hash(token), user.Id, user.Email, Now());
        db.EmailVerificationTokens.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await mail.SendAsync(messages.Verification(user.Email, user.DisplayName, LinkFor(origin, token), link.ExpiresAt), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            MailFailed(logger, user.Id, ex);
            return false;
        }
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The verification mail for user {UserId} could not be sent; the user can press Resend.")]
    private static partial void MailFailed(ILogger logger, Guid userId, Exception exception);
}
