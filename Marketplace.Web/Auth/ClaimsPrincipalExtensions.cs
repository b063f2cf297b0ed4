using System.Security.Claims;
using Marketplace.Core.Admin;

namespace Marketplace.Web.Auth;

public static class ClaimsPrincipalExtensions
{
    public const string AdminRole = "admin";

    /// <summary>The session token the cookie carries (the server stores only its hash).</summary>
    public const string SessionClaim = "marketplace:session";

    public const string EmailVerifiedClaim = "marketplace:email_verified";

    /// <summary>The signed-in user's id; only call behind authorization.</summary>
    public static Guid UserId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("UserId() needs a signed-in user."));
    }

    public static bool IsSignedIn(this ClaimsPrincipal principal) => principal?.Identity?.IsAuthenticated == true;

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal?.IsInRole(AdminRole) == true;

    /// <summary>The signed-in admin as the audit log records them; only call behind the admin policy.</summary>
    public static AdminActor AdminActor(this ClaimsPrincipal principal) =>
        new(principal.UserId(), principal.FindFirstValue(ClaimTypes.Email) ?? string.Empty);

    public static string? SessionToken(this ClaimsPrincipal principal) => principal?.FindFirstValue(SessionClaim);

    public static bool IsEmailVerified(this ClaimsPrincipal principal) => principal?.FindFirstValue(EmailVerifiedClaim) == "true";

    public static string Email(this ClaimsPrincipal principal) => principal?.FindFirstValue(ClaimTypes.Email) ?? string.Empty;

    public static string DisplayName(this ClaimsPrincipal principal) => principal?.FindFirstValue(ClaimTypes.Name) ?? string.Empty;
}
