using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Web.Api;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Orders;

/// <summary>
/// One of the buyer's orders with its receipt and the proof that its transaction is in the ledger's latest checkpoint;
/// receipts.js verifies the receipt's signature, and the proof, in the browser. A completed digital order also shows its
/// licence text and a Download of its file.
/// </summary>
public sealed class DetailModel(OrderQueries orders, LedgerProofs proofs, LedgerOptions checkpointOptions, DigitalDeliveries deliveries) : PageModel
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

    /// <summary>The order's file, to its buyer or an admin; anyone else gets 404, and a refunded order's download has ended (410).</summary>
    public async Task<IActionResult> OnGetDownloadAsync(Guid id) =>
        await OrderDownloads.FindAsync(HttpContext, deliveries, id) switch
        {
            DownloadResult.Ready ready => PhysicalFile(ready.Path, ready.File.ContentType, ready.File.Name),
            DownloadResult.Refunded => StatusCode(StatusCodes.Status410Gone),
            DownloadResult.FileMissing => StatusCode(StatusCodes.Status503ServiceUnavailable),
            _ => NotFound(),
        };

    private static string Interval(TimeSpan interval) =>
        interval.TotalHours >= 1 ? $"{interval.TotalHours:0.#} hours" : interval.TotalMinutes >= 1 ? $"{interval.TotalMinutes:0.#} minutes" : $"{interval.TotalSeconds:0} seconds";
}
