using Marketplace.Core.Payments;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin;

/// <summary>
/// Admin → Bank transfers: pending transfers to confirm (with the amount that arrived) or reject (with a reason), and the
/// decided ones; each list paged, all of them filtered by reference, shopper, amount and day, so no transfer is out of reach.
/// </summary>
public sealed class BankTransfersModel(BankTransferService bank) : PageModel
{
    public const int PageSize = 25;

    private static readonly PaymentStatus[] Open = [PaymentStatus.Created, PaymentStatus.Pending];

    /// <summary>What <c>_BankTransferPages</c> shows for one list: where it is and the links to its neighbours.</summary>
    public sealed record PagesView(BankTransfersModel Owner, string List, string Label, BankTransferPage Page);

    /// <summary>The filter form as typed (GET query string); pages are per list.</summary>
    public sealed record FilterInput(string? Reference, string? User, string? Amount, string? From, string? To, int? Pending, int? Confirmed, int? Rejected);

    /// <summary>A rejected form: which transfer, which field, why, and what was typed (shown again).</summary>
    public sealed record FormError(Guid PaymentId, string Field, string Message, string? ReceivedAmount, string? Note, string? Reason);

    private static readonly BankTransferPage NoRows = new([], 1, PageSize, 0);

    public BankTransferPage PendingPage { get; private set; } = NoRows;

    public BankTransferPage ConfirmedPage { get; private set; } = NoRows;

    public BankTransferPage RejectedPage { get; private set; } = NoRows;

    public IReadOnlyList<BankTransferRow> Pending => PendingPage.Rows;

    public IReadOnlyList<BankTransferRow> Confirmed => ConfirmedPage.Rows;

    public IReadOnlyList<BankTransferRow> Rejected => RejectedPage.Rows;

    public FilterInput Filter { get; private set; } = new(null, null, null, null, null, null, null, null);

    /// <summary>What the "Find by reference" box held, as typed.</summary>
    public string? Reference => Filter.Reference;

    public string? ReferenceError { get; private set; }

    /// <summary>A date that is not yyyy-MM-dd is ignored and said so.</summary>
    public string? DateError { get; private set; }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Filter.Reference) || !string.IsNullOrWhiteSpace(Filter.User) || !string.IsNullOrWhiteSpace(Filter.Amount)
        || !string.IsNullOrWhiteSpace(Filter.From) || !string.IsNullOrWhiteSpace(Filter.To);

    public FormError? Error { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    public async Task OnGetAsync([FromQuery] FilterInput? filter)
    {
        Filter = filter ?? Filter;
        await LoadAsync();
    }

    /// <summary>The link to <paramref name="page"/> of one list (<c>pending</c>, <c>confirmed</c>, <c>rejected</c>), keeping the filters and the other lists' pages.</summary>
    public string PageLink(string list, int page)
    {
        var query = new Dictionary<string, string?>
        {
            ["reference"] = Filter.Reference,
            ["user"] = Filter.User,
            ["amount"] = Filter.Amount,
            ["from"] = Filter.From,
            ["to"] = Filter.To,
            ["pending"] = (list == "pending" ? page : PendingPage.Page).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["confirmed"] = (list == "confirmed" ? page : ConfirmedPage.Page).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["rejected"] = (list == "rejected" ? page : RejectedPage.Page).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/Admin/BankTransfers", query.Where(q => !string.IsNullOrWhiteSpace(q.Value) && q.Value != "1"));
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id, [FromForm(Name = "received_amount")] string? receivedAmount, string? note)
    {
        var result = await bank.ConfirmAsync(id, receivedAmount, note, User.AdminActor(), HttpContext.RequestAborted);
        return await AfterAsync(result, new FormError(id, string.Empty, string.Empty, receivedAmount, note, null), d => $"Confirmed {d.Payment.ProviderReference}: {d.Payment.Credits.ToDisplayString()} credited for {d.Received.ToDisplayString()} received.");
    }

    /// <summary>The confirmation Reject asks for first (issue 14, defect 7).</summary>
    public Marketplace.Web.Pages.ConfirmStep? Confirm { get; private set; }

    public async Task<IActionResult> OnPostRejectAsync(Guid id, string? reason, [FromForm(Name = Marketplace.Web.Pages.ConfirmStep.Field)] string? confirmed)
    {
        if (!Marketplace.Web.Pages.ConfirmStep.IsConfirmed(confirmed) && !string.IsNullOrWhiteSpace(reason))
        {
            await LoadAsync();
            if (Pending.FirstOrDefault(t => t.PaymentId == id) is { } transfer)
            {
                Confirm = new Marketplace.Web.Pages.ConfirmStep($"Reject bank transfer {transfer.Reference}?",
                    $"{transfer.UserEmail} is told it was rejected, with your reason: “{reason.Trim()}”. No credits are added, and it cannot be confirmed afterwards.",
                    Marketplace.Web.Pages.ConfirmStep.SameAction(Request), [new("reason", reason)], "Yes, reject it", "/Admin/BankTransfers");
                return Page();
            }
        }

        // No reason (refused below with the field's message), or not on this page of pending transfers: the service decides.
        var result = await bank.RejectAsync(id, reason, User.AdminActor(), HttpContext.RequestAborted);
        return await AfterAsync(result, new FormError(id, string.Empty, string.Empty, null, null, reason), d => $"Rejected {d.Payment.ProviderReference}; no credits were added.");
    }

    public FormError? ErrorFor(Guid paymentId) => Error is { } error && error.PaymentId == paymentId ? error : null;

    /// <summary>
    /// The error summary focus moves to after a refused confirm or reject form, linking the field to fix when its
    /// transfer is on this page of pending ones (the field's own message stays beside the form).
    /// </summary>
    public (string? FieldId, string Message)? ErrorSummary =>
        Error is not { } error ? null
        : (Pending.Any(t => t.PaymentId == error.PaymentId) && FieldIds.TryGetValue(error.Field, out var prefix) ? $"{prefix}-{error.PaymentId:N}" : null, error.Message);

    private static readonly Dictionary<string, string> FieldIds = new(StringComparer.Ordinal)
    {
        ["received_amount"] = "received",
        ["note"] = "note",
        ["reason"] = "reason",
    };

    private async Task<IActionResult> AfterAsync(BankDecisionResult result, FormError typed, Func<BankDecisionResult.Decided, string> done)
    {
        switch (result)
        {
            case BankDecisionResult.Decided decided:
                Flash = done(decided);
                return RedirectToPage();
            case BankDecisionResult.NotFound or BankDecisionResult.NotABankTransfer:
                return NotFound();
            case BankDecisionResult.Invalid:
                var failure = result.ToFailure();
                Error = typed with { Field = failure.Field ?? string.Empty, Message = failure.Message };
                await LoadAsync();
                Response.StatusCode = failure.Status;
                return Page();
            default:
                // Decided already (here or elsewhere): the lists show where it is now.
                Flash = result.ToFailure().Message;
                return RedirectToPage();
        }
    }

    private async Task LoadAsync()
    {
        string? reference = null;
        if (!string.IsNullOrWhiteSpace(Reference))
        {
            if (BankReference.TryNormalize(Reference, out var normalized))
            {
                reference = normalized;
            }
            else
            {
                ReferenceError = "That is not a bank reference: expect something like MC-7KQ4-9XPD (the last symbol is a check, so a typo shows up here).";
            }
        }

        var from = Day(Filter.From);
        var to = Day(Filter.To);
        if (ReferenceError is not null)
        {
            return;
        }

        var cancellationToken = HttpContext.RequestAborted;
        BankTransferSearch Search(IReadOnlyCollection<PaymentStatus> statuses, int? page) =>
            new(statuses, reference, Filter.User, Filter.Amount, from, to, page ?? 1, PageSize);
        PendingPage = await bank.SearchAsync(Search(Open, Filter.Pending), cancellationToken);
        ConfirmedPage = await bank.SearchAsync(Search([PaymentStatus.Succeeded], Filter.Confirmed), cancellationToken);
        RejectedPage = await bank.SearchAsync(Search([PaymentStatus.Failed], Filter.Rejected), cancellationToken);
    }

    private DateOnly? Day(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
        {
            return day;
        }

        DateError = "Dates are written yyyy-MM-dd (UTC); that one was ignored.";
        return null;
    }
}
