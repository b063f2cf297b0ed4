using Marketplace.Core.Payments;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin;

/// <summary>Admin → Bank transfers: pending transfers to confirm (with the amount that arrived) or reject (with a reason), and the decided ones.</summary>
public sealed class BankTransfersModel(BankTransferService bank) : PageModel
{
    private static readonly PaymentStatus[] Open = [PaymentStatus.Created, PaymentStatus.Pending];

    /// <summary>A rejected form: which transfer, which field, why, and what was typed (shown again).</summary>
    public sealed record FormError(Guid PaymentId, string Field, string Message, string? ReceivedAmount, string? Note, string? Reason);

    public IReadOnlyList<BankTransferRow> Pending { get; private set; } = [];

    public IReadOnlyList<BankTransferRow> Confirmed { get; private set; } = [];

    public IReadOnlyList<BankTransferRow> Rejected { get; private set; } = [];

    /// <summary>What the "Find by reference" box held, as typed.</summary>
    public string? Reference { get; private set; }

    public string? ReferenceError { get; private set; }

    public FormError? Error { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    public async Task OnGetAsync(string? reference)
    {
        Reference = reference;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id, [FromForm(Name = "received_amount")] string? receivedAmount, string? note)
    {
        var result = await bank.ConfirmAsync(id, receivedAmount, note, User.AdminActor(), HttpContext.RequestAborted);
        return await AfterAsync(result, new FormError(id, string.Empty, string.Empty, receivedAmount, note, null), p => $"Confirmed {p.ProviderReference}: {p.Credits.ToDisplayString()} credited for {p.Received.ToDisplayString()} received.");
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid id, string? reason)
    {
        var result = await bank.RejectAsync(id, reason, User.AdminActor(), HttpContext.RequestAborted);
        return await AfterAsync(result, new FormError(id, string.Empty, string.Empty, null, null, reason), p => $"Rejected {p.ProviderReference}; no credits were added.");
    }

    public FormError? ErrorFor(Guid paymentId) => Error is { } error && error.PaymentId == paymentId ? error : null;

    private async Task<IActionResult> AfterAsync(BankDecisionResult result, FormError typed, Func<Payment, string> done)
    {
        switch (result)
        {
            case BankDecisionResult.Decided decided:
                Flash = done(decided.Payment);
                break;
            case BankDecisionResult.AlreadyConfirmed already:
                Flash = $"{already.Payment.ProviderReference} was already confirmed; nothing was credited again.";
                break;
            case BankDecisionResult.AlreadyRejected already:
                Flash = $"{already.Payment.ProviderReference} was already rejected; it cannot be confirmed or rejected again.";
                break;
            case BankDecisionResult.Closed closed:
                Flash = $"{closed.Payment.ProviderReference} is {closed.Payment.Status.ToString().ToLowerInvariant()}; there is nothing left to decide.";
                break;
            case BankDecisionResult.NotFound or BankDecisionResult.NotABankTransfer:
                return NotFound();
            case BankDecisionResult.Invalid invalid:
                Error = typed with { Field = invalid.Field, Message = invalid.Message };
                await LoadAsync();
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
        }

        return RedirectToPage();
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

        var cancellationToken = HttpContext.RequestAborted;
        Pending = ReferenceError is null ? await bank.ListAsync(Open, reference, cancellationToken: cancellationToken) : [];
        Confirmed = await bank.ListAsync([PaymentStatus.Succeeded], reference, 50, cancellationToken);
        Rejected = await bank.ListAsync([PaymentStatus.Failed], reference, 50, cancellationToken);
    }
}
