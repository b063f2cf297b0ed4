using System.Text.Json;
using Marketplace.Core.Ledger;
using Marketplace.Web.Api;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Marketplace.Web.Pages.Admin;

/// <summary>Recent reconciliation runs, the discrepancies of one, <c>Run now</c> (audited), and the latest ledger checkpoint to copy elsewhere.</summary>
public sealed class ReconciliationModel(ReconciliationService reconciliation, LedgerCheckpoints checkpoints, IOptions<JsonOptions> json) : PageModel
{
    private const int RunsShown = 50;

    public LedgerCheckpoint? LatestCheckpoint { get; private set; }

    /// <summary>The latest checkpoint exactly as GET /api/ledger/checkpoints/latest serves it, so a copy is a file the verifier reads.</summary>
    public string? LatestCheckpointJson { get; private set; }

    public IReadOnlyList<ReconciliationRun> Runs { get; private set; } = [];

    /// <summary>The run whose discrepancies are listed: the one asked for, else the newest.</summary>
    public ReconciliationRun? Selected { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync(long? run, CancellationToken cancellationToken)
    {
        Runs = await reconciliation.RecentAsync(RunsShown, cancellationToken);
        LatestCheckpoint = await checkpoints.LatestAsync(cancellationToken);
        LatestCheckpointJson = LatestCheckpoint is null ? null : JsonSerializer.Serialize(LedgerApi.ToResponse(LatestCheckpoint), json.Value.SerializerOptions);
        var selectedId = run ?? (Runs.Count > 0 ? Runs[0].Id : null);
        if (selectedId is { } id)
        {
            Selected = await reconciliation.FindAsync(id, cancellationToken);
            if (Selected is null)
            {
                return NotFound();
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var run = await reconciliation.RunAsync(User.AdminActor(), cancellationToken);
        Flash = run.Status == ReconciliationStatus.Clean
            ? $"Run {run.Id} finished in {run.DurationMs} ms: no discrepancies."
            : $"Run {run.Id} finished in {run.DurationMs} ms: {run.DiscrepancyCount} discrepancies.";
        return RedirectToPage(new { run = run.Id });
    }
}
