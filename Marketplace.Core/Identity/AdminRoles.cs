using Marketplace.Core.Admin;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Identity;

public abstract record RoleChangeResult
{
    private RoleChangeResult()
    {
    }

    /// <summary>The role is now as asked; <paramref name="Changed"/> is false when it already was (nothing written).</summary>
    public sealed record Done(Guid UserId, string Email, bool Changed) : RoleChangeResult;

    public sealed record UnknownUser : RoleChangeResult;

    /// <summary>Only an address the user proved they own can carry the admin role.</summary>
    public sealed record Unverified(string Email) : RoleChangeResult;
}

public sealed record AdminSummary(Guid Id, string Email, string DisplayName, DateTime? EmailVerifiedAt);

/// <summary>
/// Grants and revokes the admin role, stored with the user. The admin command and Admin → Users both come here;
/// every change is audited in the same transaction, and sessions in this process see it on their next request.
/// </summary>
public sealed class AdminRoles(MarketplaceDb db, AuditLog audit, SessionCache sessions)
{
    public const string GrantAction = "admin.grant";
    public const string RevokeAction = "admin.revoke";

    /// <summary>Who the audit log names for the admin command: the operator's OS account, as there is no signed-in user.</summary>
    public static AdminActor CommandLine => new(Guid.Empty, $"command line ({Environment.UserName}@{Environment.MachineName})");

    public Task<RoleChangeResult> GrantAsync(AdminActor actor, string email, CancellationToken cancellationToken = default)
    {
        var normalized = User.NormalizeEmail(email);
        return ChangeAsync(actor, u => u.Email == normalized, admin: true, cancellationToken);
    }

    public Task<RoleChangeResult> GrantAsync(AdminActor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, u => u.Id == userId, admin: true, cancellationToken);

    public Task<RoleChangeResult> RevokeAsync(AdminActor actor, string email, CancellationToken cancellationToken = default)
    {
        var normalized = User.NormalizeEmail(email);
        return ChangeAsync(actor, u => u.Email == normalized, admin: false, cancellationToken);
    }

    public Task<RoleChangeResult> RevokeAsync(AdminActor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, u => u.Id == userId, admin: false, cancellationToken);

    public async Task<IReadOnlyList<AdminSummary>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.Users.AsNoTracking().Where(u => u.IsAdmin).OrderBy(u => u.Email)
            .Select(u => new AdminSummary(u.Id, u.Email, u.DisplayName, u.EmailVerifiedAt))
            .ToListAsync(cancellationToken);

    private async Task<RoleChangeResult> ChangeAsync(AdminActor actor, System.Linq.Expressions.Expression<Func<User, bool>> which, bool admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(which).Select(u => new { u.Id, u.Email, u.IsAdmin, u.EmailVerifiedAt }).SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return new RoleChangeResult.UnknownUser();
        }

        if (admin && user.EmailVerifiedAt is null)
        {
            return new RoleChangeResult.Unverified(user.Email);
        }

        // The guard repeats the checks in the update itself, so nothing read above can be stale when it commits.
        var changed = admin
            ? await db.Users.Where(u => u.Id == user.Id && !u.IsAdmin && u.EmailVerifiedAt != null).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdmin, true), cancellationToken)
            : await db.Users.Where(u => u.Id == user.Id && u.IsAdmin).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdmin, false), cancellationToken);
        if (changed == 1)
        {
            audit.Add(actor, admin ? GrantAction : RevokeAction, $"user:{user.Id}", admin ? "Admin role granted" : "Admin role revoked", new { email = user.Email });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        sessions.Forget(user.Id);
        return new RoleChangeResult.Done(user.Id, user.Email, changed == 1);
    }
}
