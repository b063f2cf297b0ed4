using Marketplace.Core;
using Marketplace.Core.Payments;
using Marketplace.Core.Settings;
using Marketplace.Core.Text;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Api;

public static class PaymentsApi
{
    /// <summary>The per-user limit on starting payments (<c>RateLimits:InitiatePerMinute</c>).</summary>
    public const string InitiateRateLimit = "payments-initiate";

    /// <param name="Amount">A custom amount; with <paramref name="PackageId"/> it may be left out, and if sent must be the package's price.</param>
    /// <param name="PackageId">A package from <c>GET /api/packages</c>, bought at its price in <paramref name="Currency"/>.</param>
    public sealed record InitiateRequest(string? Currency, string? Gateway, string? Amount = null, string? PackageId = null);

    public sealed record InitiateResponse(Guid PaymentId, Uri PaymentUrl, string Status);

    /// <param name="Bonus">The bonus credits granted with the package on success; null for a custom amount.</param>
    public sealed record PaymentResponse(Guid PaymentId, string Status, string Gateway, string Amount, string Currency, string Credits, DateTime CreatedAt, DateTime? CompletedAt, string? FailureReason, string? PackageId, string? Bonus);

    public static RouteGroupBuilder MapPaymentsApi(this RouteGroupBuilder api)
    {
        var payments = api.MapGroup("/payments").WithTags("Payments").RequireAuthorization().ProducesProblems(StatusCodes.Status401Unauthorized);
        payments.MapPost("/initiate", Initiate).RequireRateLimiting(InitiateRateLimit)
            .WithSummary("Start a top-up: creates a payment and returns where to send the user")
            .AcceptsJson<InitiateRequest>().ProducesProblems(StatusCodes.Status422UnprocessableEntity, StatusCodes.Status429TooManyRequests);
        payments.MapPost("/{id}/cancel", Cancel)
            .WithSummary("Withdraw one's own pending bank transfer (the money was not sent); other payments lapse at their gateway")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        payments.MapGet("/{id}", Get)
            .WithSummary("A payment's status (its owner or an admin only)")
            .ProducesProblems(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Created<InitiateResponse>, ProblemHttpResult>> Initiate(HttpRequest request, PaymentService payments, MarketplaceOptions options, IOptions<JsonOptions> json)
    {
        var (body, problem) = await ApiBody.ReadAsync<InitiateRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        // A package names its own price, so only a custom top-up needs an amount.
        var missing = body!.PackageId is null
            ? AuthApi.Missing(("amount", body.Amount), ("currency", body.Currency), ("gateway", body.Gateway))
            : AuthApi.Missing(("currency", body.Currency), ("gateway", body.Gateway));
        if (missing is not null)
        {
            return missing;
        }

        var origin = new Uri(options.Origin(new Uri($"{request.Scheme}://{request.Host}")));
        var result = await payments.InitiateAsync(request.HttpContext.User.UserId(), new TopUpRequest(body.Amount, body.Currency, body.Gateway, body.PackageId), origin, request.HttpContext.RequestAborted);
        return result switch
        {
            InitiateResult.Started started => TypedResults.Created($"/api/payments/{started.Payment.Id}", new InitiateResponse(started.Payment.Id, started.PaymentUrl, WireName.Of(started.Payment.Status))),
            _ => result.ToFailure().ToProblem(),
        };
    }

    public static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> Get(HttpContext context, PaymentService payments, string id)
    {
        var payment = Guid.TryParse(id, out var paymentId)
            ? await payments.FindForAsync(paymentId, context.User.UserId(), context.User.IsAdmin(), context.RequestAborted)
            : null;
        return payment is null
            ? FailureTable.PaymentNotFound.ToProblem()
            : TypedResults.Ok(ToResponse(payment));
    }

    public static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> Cancel(HttpContext context, PaymentService payments, string id)
    {
        if (!Guid.TryParse(id, out var paymentId))
        {
            return FailureTable.PaymentNotFound.ToProblem();
        }

        var result = await payments.CancelAsync(paymentId, context.User.UserId(), context.RequestAborted);
        return result is CancelResult.Cancelled { Payment: var payment }
            ? TypedResults.Ok(ToResponse(payment))
            : result.ToFailure().ToProblem();
    }

    /// <summary>
    /// Per signed-in user: a fixed window of <see cref="RateLimitOptions.InitiatePerMinute"/> (default 10). Anonymous requests are not
    /// limited here; authorization refuses them right after.
    /// </summary>
    public static IServiceCollection AddInitiateRateLimit(this IServiceCollection services)
    {
        services.AddSettings<RateLimitOptions>();
        services.AddOptions<RateLimiterOptions>()
            .Configure<RateLimitOptions>((o, limits) => o.AddPolicy(InitiateRateLimit, context => context.User.Identity?.IsAuthenticated == true
                ? RateLimitPartition.GetFixedWindowLimiter(context.User.UserId(), _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.InitiatePerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(Guid.Empty)));
        return services;
    }

    private static PaymentResponse ToResponse(Payment payment) =>
        new(payment.Id, WireName.Of(payment.Status), payment.Gateway, payment.Amount.ToDecimalString(), payment.Currency, payment.Credits.ToDecimalString(), payment.CreatedAt, payment.CompletedAt, payment.FailureReason,
            payment.PackageId, payment.IsPackage ? payment.Bonus.ToDecimalString() : null);
}
