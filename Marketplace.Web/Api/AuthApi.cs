using Marketplace.Core;
using Marketplace.Core.Identity;
using Marketplace.Core.Text;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Api;

public static class AuthApi
{
    public sealed record CsrfResponse(string Token);

    /// <summary><paramref name="PublicKey"/> is for "recover" (the new device key) and "recovery_key" (the recovery key): the challenge names it.</summary>
    public sealed record ChallengeRequest(string? Email, string? Purpose, string? PublicKey = null);

    public sealed record ChallengeResponse(string Challenge, DateTime ExpiresAt);

    public sealed record RegisterRequest(string? Email, string? DisplayName, string? PublicKey, string? Challenge, string? Signature);

    public sealed record LoginRequest(string? Email, string? Challenge, string? Signature);

    /// <summary><paramref name="PublicKey"/> is the new device key; the challenge (purpose "recover") names it and the recovery key signed it.</summary>
    public sealed record RecoverRequest(string? Email, string? PublicKey, string? Challenge, string? Signature);

    public sealed record SessionResponse(Guid UserId, string Email, string DisplayName, bool IsAdmin, bool EmailVerified);

    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapGet("/csrf", Csrf)
            .WithSummary("Antiforgery token to send as X-CSRF-Token on every state-changing request (also sets its cookie)");
        auth.MapPost("/challenge", Challenge).RequireRateLimiting(AuthExtensions.AuthRateLimit)
            .WithSummary("Single-use challenge (5 minutes) to sign: register, login, recovery_key or recover (the last two name public_key in the challenge)")
            .AcceptsJson<ChallengeRequest>().ProducesProblems(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/register", Register).RequireRateLimiting(AuthExtensions.AuthRateLimit)
            .WithSummary("Create an account from email, display name, Ed25519 public key and a signed register challenge; signs in")
            .AcceptsJson<RegisterRequest>().ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests);
        auth.MapPost("/login", Login).RequireRateLimiting(AuthExtensions.AuthRateLimit)
            .WithSummary("Sign in with a login challenge signed by the account key")
            .AcceptsJson<LoginRequest>().ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        auth.MapPost("/recover", Recover).RequireRateLimiting(AuthExtensions.AuthRateLimit).RequireRateLimiting(AuthExtensions.RecoverRateLimit)
            .WithSummary("On a new device: replace the account key with public_key, signed by the recovery key over a recover challenge naming it; ends every other session, uses up the recovery key, signs in")
            .AcceptsJson<RecoverRequest>().ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", (Delegate)Logout)
            .WithSummary("End the session on the server (a copy of the cookie stops working too)")
            .Produces(StatusCodes.Status204NoContent);
        return api;
    }

    public static Ok<CsrfResponse> Csrf(HttpContext context, IAntiforgery antiforgery) =>
        TypedResults.Ok(new CsrfResponse(antiforgery.GetAndStoreTokens(context).RequestToken!));

    public static async Task<Results<Ok<ChallengeResponse>, ProblemHttpResult>> Challenge(HttpRequest request, AuthService auth, AccountRecovery recovery, IOptions<JsonOptions> json)
    {
        var (body, problem) = await ApiBody.ReadAsync<ChallengeRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (!WireName.TryParse<ChallengePurpose>(body!.Purpose, out var purpose))
        {
            return ApiProblems.BadRequest(body.Purpose is null ? "missing_field" : "invalid_purpose", $"purpose must be one of {string.Join(", ", WireName.All<ChallengePurpose>().Select(p => $"\"{p}\""))}.", "purpose");
        }

        if (body.Email is { Length: > User.MaxEmailLength })
        {
            return ApiProblems.BadRequest("invalid_email", "Enter a valid email address.", "email");
        }

        if (purpose is ChallengePurpose.RecoveryKey or ChallengePurpose.Recover)
        {
            if (Missing(("email", body.Email), ("public_key", body.PublicKey)) is { } missing)
            {
                return missing;
            }

            if (SignatureInput.DecodePublicKey(body.PublicKey, out _) is { } badKey)
            {
                return ApiProblems.BadRequest(badKey.Code, badKey.Message, badKey.Field);
            }

            var named = await recovery.IssueChallengeAsync(purpose, body.Email!, body.PublicKey!, request.HttpContext.RequestAborted)
                ?? throw new InvalidOperationException("A recovery challenge was refused for a well-formed key.");
            return TypedResults.Ok(new ChallengeResponse(named.Challenge, named.ExpiresAt));
        }

        var issued = await auth.IssueChallengeAsync(purpose, string.IsNullOrWhiteSpace(body.Email) ? null : body.Email, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new ChallengeResponse(issued.Challenge, issued.ExpiresAt));
    }

    public static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> Register(HttpRequest request, AuthService auth, Sessions sessions, EmailVerifications verifications, MarketplaceOptions options, IOptions<JsonOptions> json)
    {
        var (body, problem) = await ApiBody.ReadAsync<RegisterRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (Missing(("email", body!.Email), ("display_name", body.DisplayName), ("public_key", body.PublicKey), ("challenge", body.Challenge), ("signature", body.Signature)) is { } missing)
        {
            return missing;
        }

        var result = await auth.RegisterAsync(body.Email!, body.DisplayName!, body.PublicKey!, body.Challenge!, body.Signature!, request.HttpContext.RequestAborted);
        if (result is not AuthResult.SignedIn { User: var user })
        {
            return result.ToFailure().ToProblem();
        }

        // A mail server that is down must not undo the account: the wallet offers Resend.
        await verifications.SendAsync(user.Id, request.SiteOrigin(options), request.HttpContext.RequestAborted);
        var session = await SignInAsync(request.HttpContext, sessions, user);
        return TypedResults.Created("/api/wallet/balance", session);
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Login(HttpRequest request, AuthService auth, Sessions sessions, IOptions<JsonOptions> json)
    {
        var (body, problem) = await ApiBody.ReadAsync<LoginRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (Missing(("email", body!.Email), ("challenge", body.Challenge), ("signature", body.Signature)) is { } missing)
        {
            return missing;
        }

        var result = await auth.LoginAsync(body.Email!, body.Challenge!, body.Signature!, request.HttpContext.RequestAborted);
        if (result is not AuthResult.SignedIn { User: var user })
        {
            return result.ToFailure().ToProblem();
        }

        return TypedResults.Ok(await SignInAsync(request.HttpContext, sessions, user));
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Recover(HttpRequest request, AccountRecovery recovery, Sessions sessions, IOptions<JsonOptions> json)
    {
        var (body, problem) = await ApiBody.ReadAsync<RecoverRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (Missing(("email", body!.Email), ("public_key", body.PublicKey), ("challenge", body.Challenge), ("signature", body.Signature)) is { } missing)
        {
            return missing;
        }

        var context = request.HttpContext;
        var ip = context.Connection.RemoteIpAddress?.ToString();
        var result = await recovery.RecoverAsync(body.Email!, body.PublicKey!, body.Challenge!, body.Signature!, ip, context.RequestAborted);
        if (result is not RecoveryResult.Recovered { User: var user })
        {
            return result.ToFailure().ToProblem();
        }

        return TypedResults.Ok(await SignInAsync(context, sessions, user));
    }

    public static async Task<NoContent> Logout(HttpContext context, Sessions sessions)
    {
        await sessions.EndAsync(context.User.SessionToken(), context.RequestAborted);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    internal static ProblemHttpResult? Missing(params (string Name, string? Value)[] fields)
    {
        var missing = fields.Where(f => string.IsNullOrWhiteSpace(f.Value)).Select(f => f.Name).ToList();
        return missing.Count == 0
            ? null
            : ApiProblems.BadRequest("missing_field", $"Required: {string.Join(", ", missing)}.", missing[0]);
    }

    /// <summary>Every sign-in is a session row; the cookie carries only the user id and the session's token.</summary>
    private static async Task<SessionResponse> SignInAsync(HttpContext context, Sessions sessions, User user)
    {
        var started = await sessions.StartAsync(user.Id, context.Request.Headers.UserAgent.ToString(), context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AuthExtensions.CookiePrincipal(user.Id, started.Token), new AuthenticationProperties { IsPersistent = true });
        return new SessionResponse(user.Id, user.Email, user.DisplayName, user.IsAdmin, user.IsEmailVerified);
    }
}
