using Marketplace.Core.Identity;
using Marketplace.Web.Auth;
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

    public sealed record ChallengeRequest(string? Email, string? Purpose);

    public sealed record ChallengeResponse(string Challenge, DateTime ExpiresAt);

    public sealed record RegisterRequest(string? Email, string? DisplayName, string? PublicKey, string? Challenge, string? Signature);

    public sealed record LoginRequest(string? Email, string? Challenge, string? Signature);

    public sealed record SessionResponse(Guid UserId, string Email, string DisplayName, bool IsAdmin);

    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapGet("/csrf", Csrf)
            .WithSummary("Antiforgery token to send as X-CSRF-Token on every state-changing request (also sets its cookie)");
        auth.MapPost("/challenge", Challenge).RequireRateLimiting(AuthExtensions.AuthRateLimit)
            .WithSummary("Single-use challenge (5 minutes) to sign with the account key, for register or login")
            .AcceptsJson<ChallengeRequest>().ProducesProblems(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/register", Register).RequireRateLimiting(AuthExtensions.AuthRateLimit)
            .WithSummary("Create an account from email, display name, Ed25519 public key and a signed register challenge; signs in")
            .AcceptsJson<RegisterRequest>().ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests);
        auth.MapPost("/login", Login).RequireRateLimiting(AuthExtensions.AuthRateLimit)
            .WithSummary("Sign in with a login challenge signed by the account key")
            .AcceptsJson<LoginRequest>().ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", (Delegate)Logout)
            .WithSummary("End the session")
            .Produces(StatusCodes.Status204NoContent);
        return api;
    }

    public static Ok<CsrfResponse> Csrf(HttpContext context, IAntiforgery antiforgery) =>
        TypedResults.Ok(new CsrfResponse(antiforgery.GetAndStoreTokens(context).RequestToken!));

    public static async Task<Results<Ok<ChallengeResponse>, ProblemHttpResult>> Challenge(HttpRequest request, AuthService auth, IOptions<JsonOptions> json)
    {
        var (body, problem) = await ApiBody.ReadAsync<ChallengeRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        ChallengePurpose? purpose = body!.Purpose switch
        {
            "register" => ChallengePurpose.Register,
            "login" => ChallengePurpose.Login,
            _ => null,
        };
        if (purpose is null)
        {
            return ApiProblems.BadRequest(body.Purpose is null ? "missing_field" : "invalid_purpose", "purpose must be \"register\" or \"login\".", "purpose");
        }

        if (body.Email is { Length: > User.MaxEmailLength })
        {
            return ApiProblems.BadRequest("invalid_email", "Enter a valid email address.", "email");
        }

        var issued = await auth.IssueChallengeAsync(purpose.Value, string.IsNullOrWhiteSpace(body.Email) ? null : body.Email, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new ChallengeResponse(issued.Challenge, issued.ExpiresAt));
    }

    public static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> Register(HttpRequest request, AuthService auth, IOptions<JsonOptions> json)
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
            return result.ToProblem();
        }

        var session = await SignInAsync(request.HttpContext, auth, user);
        return TypedResults.Created("/api/wallet/balance", session);
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Login(HttpRequest request, AuthService auth, IOptions<JsonOptions> json)
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
            return result.ToProblem();
        }

        return TypedResults.Ok(await SignInAsync(request.HttpContext, auth, user));
    }

    public static async Task<NoContent> Logout(HttpContext context)
    {
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

    private static async Task<SessionResponse> SignInAsync(HttpContext context, AuthService auth, User user)
    {
        var isAdmin = auth.IsAdmin(user.Email);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AuthExtensions.PrincipalFor(user, isAdmin), new AuthenticationProperties { IsPersistent = true });
        return new SessionResponse(user.Id, user.Email, user.DisplayName, isAdmin);
    }
}
