using System.Globalization;
using Marketplace.Core;
using Marketplace.Core.Identity;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Api;

/// <summary>The signed-in user's own account: sessions, the recovery key, and proving the email address.</summary>
public static class AccountApi
{
    public sealed record SessionItem(Guid Id, DateTime CreatedAt, DateTime LastSeenAt, DateTime ExpiresAt, string UserAgent, string IpAddress, bool Current);

    public sealed record SessionListResponse(IReadOnlyList<SessionItem> Items);

    public sealed record EndedResponse(int Ended);

    /// <summary>
    /// <paramref name="Challenge"/> comes from a "recovery_key" challenge naming <paramref name="PublicKey"/>;
    /// <paramref name="Signature"/> is by the account key, <paramref name="RecoverySignature"/> by the recovery key, both over it.
    /// </summary>
    public sealed record RecoveryKeyRequest(string? PublicKey, string? Challenge, string? Signature, string? RecoverySignature);

    public sealed record VerifyEmailRequest(string? Token);

    public sealed record EmailResponse(string Email, bool Verified);

    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder api)
    {
        var account = api.MapGroup("/account").WithTags("Account");
        var signedIn = account.MapGroup(string.Empty).RequireAuthorization().ProducesProblems(StatusCodes.Status401Unauthorized);
        signedIn.MapGet("/sessions", ListSessions)
            .WithSummary("The signed-in user's sessions (browsers and clients signed in), the current one first");
        signedIn.MapPost("/sessions/{id:guid}/end", EndSession)
            .WithSummary("End one of the user's sessions; its cookie stops working at once")
            .ProducesProblems(StatusCodes.Status404NotFound);
        signedIn.MapPost("/sessions/end-others", EndOtherSessions)
            .WithSummary("Log out everywhere: end every session of the user except this one");
        signedIn.MapPost("/recovery-key", SetRecoveryKey)
            .WithSummary("Set or replace the recovery key (derived from the recovery code in the browser), signed by the account key and the recovery key")
            .AcceptsJson<RecoveryKeyRequest>()
            .Produces(StatusCodes.Status204NoContent);
        signedIn.MapPost("/email/resend", ResendVerification)
            .WithSummary("Mail a new verification link (at most one a minute and five a day)")
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
        account.MapPost("/email/verify", VerifyEmail)
            .WithSummary("Use a verification link's token (single use, 24 hours); no sign-in needed")
            .AcceptsJson<VerifyEmailRequest>()
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    public static async Task<Ok<SessionListResponse>> ListSessions(HttpContext context, Sessions sessions)
    {
        var list = await sessions.ListAsync(context.User.UserId(), context.User.SessionToken(), context.RequestAborted);
        return TypedResults.Ok(new SessionListResponse(list.Select(s => new SessionItem(s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.UserAgent, s.IpAddress, s.IsCurrent)).ToList()));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> EndSession(HttpContext context, Sessions sessions, Guid id) =>
        await sessions.EndAsync(context.User.UserId(), id, context.RequestAborted)
            ? TypedResults.NoContent()
            : FailureTable.SessionNotFound.ToProblem();

    public static async Task<Ok<EndedResponse>> EndOtherSessions(HttpContext context, Sessions sessions) =>
        TypedResults.Ok(new EndedResponse(await sessions.EndOthersAsync(context.User.UserId(), context.User.SessionToken(), context.RequestAborted)));

    public static async Task<Results<NoContent, ProblemHttpResult>> SetRecoveryKey(HttpRequest request, AccountRecovery recovery, IOptions<JsonOptions> json)
    {
        var (body, problem) = await ApiBody.ReadAsync<RecoveryKeyRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (AuthApi.Missing(("public_key", body!.PublicKey), ("challenge", body.Challenge), ("signature", body.Signature), ("recovery_signature", body.RecoverySignature)) is { } missing)
        {
            return missing;
        }

        var context = request.HttpContext;
        var result = await recovery.SetRecoveryKeyAsync(context.User.UserId(), body.PublicKey!, body.Challenge!, body.Signature!, body.RecoverySignature!, context.RequestAborted);
        return result is RecoveryResult.RecoveryKeySet ? TypedResults.NoContent() : result.ToFailure().ToProblem();
    }

    public static async Task<Results<Accepted<EmailResponse>, ProblemHttpResult>> ResendVerification(HttpContext context, EmailVerifications verifications, MarketplaceOptions options)
    {
        var result = await verifications.ResendAsync(context.User.UserId(), context.Request.SiteOrigin(options), context.RequestAborted);
        if (result is ResendResult.TooSoon tooSoon)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(tooSoon.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return result switch
        {
            ResendResult.Sent sent => TypedResults.Accepted((string?)null, new EmailResponse(sent.Email, Verified: false)),
            _ => result.ToFailure().ToProblem(),
        };
    }

    public static async Task<Results<Ok<EmailResponse>, ProblemHttpResult>> VerifyEmail(HttpRequest request, EmailVerifications verifications, IOptions<JsonOptions> json)
    {
        var (body, problem) = await ApiBody.ReadAsync<VerifyEmailRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (AuthApi.Missing(("token", body!.Token)) is { } missing)
        {
            return missing;
        }

        var result = await verifications.VerifyAsync(body.Token, request.HttpContext.RequestAborted);
        return result is VerifyEmailResult.Verified verified
            ? TypedResults.Ok(new EmailResponse(verified.Email, Verified: true))
            : result.ToFailure().ToProblem();
    }
}
