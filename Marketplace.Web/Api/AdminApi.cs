using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>/api/admin: every endpoint here needs the admin role (401 signed out, 403 signed in without it).</summary>
public static class AdminApi
{
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

    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Admin").RequireAuthorization(ClaimsPrincipalExtensions.AdminRole);
        admin.MapPost("/reconciliation/run", RunReconciliation);
        return api;
    }

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
            run.Status == ReconciliationStatus.Clean ? "clean" : "discrepancies",
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
