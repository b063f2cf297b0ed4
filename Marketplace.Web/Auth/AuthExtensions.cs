using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Marketplace.Core.Identity;
using Marketplace.Core.Settings;
using Marketplace.Web.Api;
using Marketplace.Web.Failures;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;

namespace Marketplace.Web.Auth;

public static class AuthExtensions
{
    public const string AuthRateLimit = "auth";
    public const string RecoverRateLimit = "recover";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>Cookie sessions that survive restarts, antiforgery for every state change, and rate-limited sign-in.</summary>
    public static WebApplicationBuilder AddMarketplaceAuth(this WebApplicationBuilder builder)
    {
        builder.AddMarketplaceDataProtection();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "marketplace.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.SlidingExpiration = true;
                o.LoginPath = "/Account/Login";
                o.LogoutPath = "/Account/Logout";
                o.AccessDeniedPath = "/Account/Denied";
                o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, FailureTable.NotSignedIn);
                o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, FailureTable.Forbidden);
                o.Events.OnValidatePrincipal = SessionValidation.ValidateAsync;
            });
        // The cookie slides like the server session it names; the server session is what counts.
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionSettings>((o, sessions) => o.ExpireTimeSpan = sessions.IdleTimeout)
            // After the handler's own post-configuration has set the data-protected format this wraps.
            .PostConfigure<TimeProvider>((o, clock) => o.TicketDataFormat = new CachedTicketFormat(
                o.TicketDataFormat ?? throw new InvalidOperationException("The cookie handler set no ticket format."), clock));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ClaimsPrincipalExtensions.AdminRole, p => p.RequireRole(ClaimsPrincipalExtensions.AdminRole));

        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfHeader;
            o.Cookie.Name = "marketplace.csrf";
            o.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });

        builder.Services.AddSettings<RateLimitOptions>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<RateLimitOptions>((o, limits) =>
        {
            o.AddPolicy(AuthRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.AuthPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(RecoverRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.RecoverPerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "rate_limited", "Too many attempts", "Too many attempts; wait a moment and try again.", cancellationToken);
            };
        });
        return builder;
    }

    public static WebApplication UseMarketplaceAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>
    /// What the cookie carries: the user id and the session token. Role, email and name are not trusted from the
    /// cookie; <see cref="SessionValidation"/> replaces them on every request with what the database says now.
    /// </summary>
    public static ClaimsPrincipal CookiePrincipal(Guid userId, string sessionToken) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId.ToString()), new Claim(ClaimsPrincipalExtensions.SessionClaim, sessionToken)], CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>The principal a request runs as, built from a live session.</summary>
    public static ClaimsPrincipal PrincipalFor(Core.Identity.ActiveSession session, string sessionToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, session.UserId.ToString()),
            new(ClaimsPrincipalExtensions.SessionClaim, sessionToken),
            new(ClaimTypes.Email, session.Email),
            new(ClaimTypes.Name, session.DisplayName),
            new(ClaimsPrincipalExtensions.EmailVerifiedClaim, session.EmailVerified ? "true" : "false"),
        };
        if (session.IsAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, ClaimsPrincipalExtensions.AdminRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, Failure failure)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            return ApiProblems.Write(context.HttpContext, failure, context.HttpContext.RequestAborted);
        }

        if (failure.Status == StatusCodes.Status403Forbidden)
        {
            // Signed in but not allowed: answer 403 on the page's own URL (the status page writes the body).
            context.Response.StatusCode = failure.Status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
