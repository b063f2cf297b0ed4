using Marketplace.Core;
using Marketplace.Core.Admin;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Text;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Api;

/// <summary>/api/admin: every endpoint here needs the admin role (401 signed out, 403 signed in without it).</summary>
public static class AdminApi
{
    /// <param name="Amount">Signed decimal string: "25.00" credits the user, "-25.00" debits them.</param>
    /// <param name="IdempotencyKey">Unique per adjustment; sending the same request again changes nothing.</param>
    public sealed record AdjustRequest(string? Amount, string? Reason, string? IdempotencyKey);

    public sealed record AdjustResponse(Guid UserId, long TransactionId, string Amount, string Available, bool Replayed);

    /// <param name="SellerShareFromAdjustments">When the seller has spent the proceeds: take their share from platform:adjustments instead of refusing.</param>
    public sealed record RefundRequest(string? Reason, bool? SellerShareFromAdjustments = null);

    public sealed record RefundResponse(Guid OrderId, string Status, string Amount, bool SellerShareFromAdjustments);

    public sealed record CheckedCounts(long Transactions, long Entries, long Accounts, long Payments, long Holds, long Orders);

    public sealed record DiscrepancyResponse(string Check, long? TransactionId, long? EntryId, long? AccountId, Guid? PaymentId, Guid? HoldId, Guid? OrderId, string Expected, string Found, string Message);

    public sealed record ReconciliationRunResponse(
        long Id,
        string Status,
        string Trigger,
        DateTime StartedAt,
        DateTime FinishedAt,
        long DurationMs,
        CheckedCounts Checked,
        int DiscrepancyCount,
        string ChainHead,
        IReadOnlyList<DiscrepancyResponse> Discrepancies);

    public sealed record ConfirmRequest(string? ReceivedAmount, string? Note);

    public sealed record RejectRequest(string? Reason);

    public sealed record CreditAnywayRequest(string? Reason);

    public sealed record CreditAnywayResponse(long WebhookId, Guid PaymentId, string PaymentStatus, string Credits, bool AlreadyCredited);

    public sealed record BankDecisionResponse(Guid PaymentId, string Status, string Reference, string Amount, string? ReceivedAmount, string Currency, string Credits, DateTime? DecidedAt, string? Note);

    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Admin").RequireAuthorization(ClaimsPrincipalExtensions.AdminRole)
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        admin.MapPost("/payments/{id}/confirm", ConfirmBankTransfer)
            .WithSummary("Confirm a bank transfer with the amount actually received (credits follow it) and a note (audited); a second confirmation credits nothing")
            .AcceptsJson<ConfirmRequest>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        admin.MapPost("/payments/{id}/reject", RejectBankTransfer)
            .WithSummary("Reject a pending bank transfer with a reason (audited); nothing is credited")
            .AcceptsJson<RejectRequest>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        admin.MapPost("/users/{id}/adjust", Adjust)
            .WithSummary("Credit or debit a user's available balance against platform:adjustments, with a reason (audited); never below zero")
            .AcceptsJson<AdjustRequest>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        admin.MapPost("/orders/{id}/refund", Refund)
            .WithSummary("Refund an order once: reverses the seller's proceeds and the commission to the buyer, or releases a service order's hold (audited)")
            .AcceptsJson<RefundRequest>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        admin.MapPost("/webhooks/{id}/credit", CreditAnyway)
            .WithSummary("Credit the payment of a parked webhook event anyway, with a reason (audited), through the one completion path; the event is then done")
            .AcceptsJson<CreditAnywayRequest>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        admin.MapPost("/reconciliation/run", RunReconciliation)
            .WithSummary("Run every reconciliation check now (audited); 200 with the run, whether or not it found discrepancies");
        return api;
    }

    public static async Task<Results<Ok<AdjustResponse>, ProblemHttpResult>> Adjust(HttpRequest request, BalanceAdjustments adjustments, IOptions<JsonOptions> json, string id)
    {
        var (body, problem) = await ApiBody.ReadAsync<AdjustRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (!Guid.TryParse(id, out var userId))
        {
            return FailureTable.UserNotFound.ToProblem();
        }

        var result = await adjustments.AdjustAsync(request.HttpContext.User.AdminActor(), userId, body!.Amount, body.Reason, body.IdempotencyKey, request.HttpContext.RequestAborted);
        return result switch
        {
            AdjustmentResult.Adjusted done => TypedResults.Ok(new AdjustResponse(userId, done.TransactionId, done.Amount.ToDecimalString(), done.AvailableAfter.ToDecimalString(), done.Replayed)),
            _ => result.ToFailure().ToProblem(),
        };
    }

    public static async Task<Results<Ok<RefundResponse>, ProblemHttpResult>> Refund(HttpRequest request, RefundService refunds, IOptions<JsonOptions> json, string id)
    {
        var (body, problem) = await ApiBody.ReadAsync<RefundRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (!Guid.TryParse(id, out var orderId))
        {
            return FailureTable.OrderNotFound.ToProblem();
        }

        var result = await refunds.RefundAsync(request.HttpContext.User.AdminActor(), orderId, body!.Reason, body.SellerShareFromAdjustments == true, request.HttpContext.RequestAborted);
        return result switch
        {
            RefundResult.Refunded done => TypedResults.Ok(new RefundResponse(done.Order.Id, WireName.Of(done.Order.Status), done.Amount.ToDecimalString(), done.SellerShareFromAdjustments)),
            _ => result.ToFailure().ToProblem(),
        };
    }

    /// <summary>Credits follow the received amount. A second confirmation answers 409 already_confirmed and credits nothing.</summary>
    public static async Task<Results<Ok<BankDecisionResponse>, ProblemHttpResult>> ConfirmBankTransfer(HttpRequest request, BankTransferService bank, IOptions<JsonOptions> json, string id)
    {
        var (body, problem) = await ApiBody.ReadAsync<ConfirmRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (AuthApi.Missing(("received_amount", body!.ReceivedAmount)) is { } missing)
        {
            return missing;
        }

        if (!Guid.TryParse(id, out var paymentId))
        {
            return FailureTable.PaymentNotFound.ToProblem();
        }

        var result = await bank.ConfirmAsync(paymentId, body.ReceivedAmount, body.Note, request.HttpContext.User.AdminActor(), request.HttpContext.RequestAborted);
        return ToHttp(result);
    }

    public static async Task<Results<Ok<BankDecisionResponse>, ProblemHttpResult>> RejectBankTransfer(HttpRequest request, BankTransferService bank, IOptions<JsonOptions> json, string id)
    {
        var (body, problem) = await ApiBody.ReadAsync<RejectRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (!Guid.TryParse(id, out var paymentId))
        {
            return FailureTable.PaymentNotFound.ToProblem();
        }

        var result = await bank.RejectAsync(paymentId, body!.Reason, request.HttpContext.User.AdminActor(), request.HttpContext.RequestAborted);
        return ToHttp(result);
    }

    private static Results<Ok<BankDecisionResponse>, ProblemHttpResult> ToHttp(BankDecisionResult result) =>
        result is BankDecisionResult.Decided decided ? TypedResults.Ok(Response(decided.Payment, decided.Decision)) : result.ToFailure().ToProblem();

    public static async Task<Results<Ok<CreditAnywayResponse>, ProblemHttpResult>> CreditAnyway(HttpRequest request, ParkedWebhooks parked, IOptions<JsonOptions> json, string id)
    {
        var (body, problem) = await ApiBody.ReadAsync<CreditAnywayRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var webhookId))
        {
            return FailureTable.WebhookNotFound.ToProblem();
        }

        var result = await parked.CreditAnywayAsync(webhookId, request.HttpContext.User.AdminActor(), body!.Reason, request.HttpContext.RequestAborted);
        return result switch
        {
            CreditAnywayResult.Credited done => TypedResults.Ok(new CreditAnywayResponse(webhookId, done.Payment.Id, WireName.Of(done.Payment.Status), done.Payment.Credits.ToDecimalString(), AlreadyCredited: false)),
            CreditAnywayResult.AlreadyCredited already => TypedResults.Ok(new CreditAnywayResponse(webhookId, already.Payment.Id, WireName.Of(already.Payment.Status), already.Payment.Credits.ToDecimalString(), AlreadyCredited: true)),
            _ => result.ToFailure().ToProblem(),
        };
    }

    private static BankDecisionResponse Response(Payment payment, BankTransferDecision? decision) => new(
        payment.Id,
        WireName.Of(payment.Status),
        payment.ProviderReference ?? string.Empty,
        payment.Amount.ToDecimalString(),
        decision?.ReceivedMinor is { } received ? new Money(received, payment.Amount.Currency).ToDecimalString() : null,
        payment.Currency,
        payment.Credits.ToDecimalString(),
        decision?.DecidedAt,
        decision?.Note);

    /// <summary>Runs every reconciliation check now, records it in the audit log, and answers with the run (200 whether or not it found discrepancies).</summary>
    public static async Task<Ok<ReconciliationRunResponse>> RunReconciliation(HttpContext http, ReconciliationService reconciliation)
    {
        var run = await reconciliation.RunAsync(http.User.AdminActor(), http.RequestAborted);
        return TypedResults.Ok(ToResponse(run));
    }

    public static ReconciliationRunResponse ToResponse(ReconciliationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new ReconciliationRunResponse(
            run.Id,
            WireName.Of(run.Status),
            run.Trigger,
            run.StartedAt,
            run.FinishedAt,
            run.DurationMs,
            new CheckedCounts(run.TransactionsChecked, run.EntriesChecked, run.AccountsChecked, run.PaymentsChecked, run.HoldsChecked, run.OrdersChecked),
            run.DiscrepancyCount,
            run.ChainHead,
            run.Discrepancies.Select(d => new DiscrepancyResponse(d.Check, d.TransactionId, d.EntryId, d.AccountId, d.PaymentId, d.HoldId, d.OrderId, d.Expected, d.Found, d.Message)).ToList());
    }
}
