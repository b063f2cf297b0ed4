using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Orders;

/// <summary>
/// One of the buyer's orders with its receipt and the proof that its transaction is in the ledger's latest checkpoint;
/// receipts.js verifies the receipt's signature, and the proof, in the browser.
/// </summary>
public sealed class DetailModel(OrderQueries orders, LedgerProofs proofs, LedgerOptions checkpointOptions) : PageModel
{
    public OrderView Order { get; private set; } = null!;

    /// <summary>The proof that the order's transaction is in the latest checkpoint, or null while it is pending.</summary>
    public OrderInclusion? Inclusion { get; private set; }

    /// <summary>Why there is no proof to check yet, when there is none.</summary>
    public string? InclusionPending { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        // Someone else's order is not found, exactly like one that does not exist.
        var order = await orders.FindForBuyerAsync(User.UserId(), id, HttpContext.RequestAborted);
        if (order is null)
        {
            return NotFound();
        }

        Order = order;
        switch (await proofs.ForOrderAsync(User.UserId(), id, HttpContext.RequestAborted))
        {
            case OrderInclusionResult.Included included:
                Inclusion = included.Inclusion;
                break;
            case OrderInclusionResult.Pending pending:
                InclusionPending = $"Transaction {pending.TransactionId} is newer than the latest checkpoint{(pending.Latest is { } latest ? $" ({latest.Id}, signed {latest.CreatedAt:yyyy-MM-dd HH:mm} UTC)" : "")}; "
                    + $"the next one, signed within {Interval(checkpointOptions.CheckpointInterval)}, will hold it. Reload this page then to check it.";
                break;
        }

        return Page();
    }

    private static string Interval(TimeSpan interval) =>
        interval.TotalHours >= 1 ? $"{interval.TotalHours:0.#} hours" : interval.TotalMinutes >= 1 ? $"{interval.TotalMinutes:0.#} minutes" : $"{interval.TotalSeconds:0} seconds";
}
