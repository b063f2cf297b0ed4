using System.Security.Claims;
using Marketplace.Core.Admin;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin;

/// <summary>The webhook inbox for admins: what waits for them (dead letters, parked events) and the recent traffic; Retry requeues one, audited.</summary>
public sealed class WebhooksModel(WebhookInbox inbox, ParkedWebhooks parked, WebhookInboxTrigger trigger) : PageModel
{
    private const int RecentCount = 100;
    private static readonly WebhookStatus[] Waiting = [WebhookStatus.DeadLetter, WebhookStatus.Parked];

    public IReadOnlyList<WebhookInboxItem> WaitingForAdmin { get; private set; } = [];

    public IReadOnlyList<WebhookInboxItem> Recent { get; private set; } = [];

    [TempData]
    public string? Flash { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        WaitingForAdmin = await inbox.RecentAsync(RecentCount, Waiting, cancellationToken);
        Recent = await inbox.RecentAsync(RecentCount, cancellationToken: cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryAsync(long id, string? reason, CancellationToken cancellationToken)
    {
        var admin = new AdminActor(User.UserId(), User.FindFirstValue(ClaimTypes.Email) ?? string.Empty);
        var why = string.IsNullOrWhiteSpace(reason) ? "Retried from the webhooks page." : reason.Trim();
        var result = await inbox.RetryAsync(id, admin, why.Length <= 1000 ? why : why[..1000], cancellationToken);
        Flash = result == RetryResult.Requeued ? $"Webhook {id} is queued again." : $"Webhook {id}: {result.ToFailure().Message}";
        if (result == RetryResult.Requeued)
        {
            trigger.RequestRun();
        }

        return RedirectToPage();
    }

    /// <summary>Credit anyway: a parked event's payment is credited by hand, with a reason (audited).</summary>
    public async Task<IActionResult> OnPostCreditAsync(long id, string? reason, CancellationToken cancellationToken)
    {
        var result = await parked.CreditAnywayAsync(id, User.AdminActor(), reason, cancellationToken);
        Flash = result switch
        {
            CreditAnywayResult.Credited done => $"Webhook {id}: payment credited with {done.Payment.Credits.ToDisplayString()}.",
            CreditAnywayResult.AlreadyCredited => $"Webhook {id}: the payment was already credited; nothing was credited again.",
            _ => $"Webhook {id}: {result.ToFailure().Message}",
        };
        return RedirectToPage();
    }
}
