using Marketplace.Core.Admin;
using Marketplace.Core.Identity;
using Marketplace.Core.Orders;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Users;

/// <summary>One user for an admin: balance, open holds, orders (with Refund) and history, and the Adjust balance form.</summary>
public sealed class DetailModel(UserDirectory users, BalanceAdjustments adjustments, RefundService refunds, AdminRoles roles) : PageModel
{
    public const int HistoryPageSize = 50;

    /// <summary>What the Adjust balance form posts; <paramref name="Key"/> is minted when the form is rendered, so a resubmission adjusts once.</summary>
    public sealed record AdjustInput(string? Amount, string? Reason, string? Key);

    public sealed record RefundInput(Guid OrderId, string? Reason, bool SellerShareFromAdjustments);

    public UserDetail Detail { get; private set; } = null!;

    public AdjustInput Adjust { get; private set; } = new(null, null, null);

    /// <summary>The field ("amount", "reason", …) the last post was refused on, and why.</summary>
    public (string Field, string Message)? Error { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, long? before)
    {
        return await LoadAsync(id, before) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAdjustAsync(Guid id, AdjustInput? input)
    {
        // A post with none of the form's fields binds no input at all: refused like an empty form.
        input ??= new AdjustInput(null, null, null);
        var result = await adjustments.AdjustAsync(User.AdminActor(), id, input.Amount, input.Reason, input.Key, HttpContext.RequestAborted);
        switch (result)
        {
            case AdjustmentResult.Adjusted done:
                Flash = done.Replayed
                    ? "That adjustment was already made; nothing changed."
                    : $"Adjusted by {done.Amount.ToDisplayString()}; available balance now {done.AvailableAfter.ToDisplayString()}.";
                return RedirectToPage(new { id });
            case AdjustmentResult.UserNotFound:
                return NotFound();
            default:
                // A key used for another adjustment cannot be sent again: the form comes back with a new one.
                var failure = result.ToFailure();
                return await RefuseAsync(id, failure, failure.Field ?? "amount", result is AdjustmentResult.KeyReused ? input with { Key = null } : input);
        }
    }

    /// <summary>The confirmation Refund asks for first (issue 14, defect 7).</summary>
    public Marketplace.Web.Pages.ConfirmStep? Confirm { get; private set; }

    public async Task<IActionResult> OnPostRefundAsync(Guid id, RefundInput? input, [FromForm(Name = Marketplace.Web.Pages.ConfirmStep.Field)] string? confirmed)
    {
        input ??= new RefundInput(Guid.Empty, null, false);
        if (!Marketplace.Web.Pages.ConfirmStep.IsConfirmed(confirmed) && !string.IsNullOrWhiteSpace(input.Reason))
        {
            if (!await LoadAsync(id, before: null))
            {
                return NotFound();
            }

            // Only a refundable order asks; anything else goes to the service, which says why not.
            if (Detail.Orders.FirstOrDefault(o => o.Id == input.OrderId) is { } order && IsRefundable(order))
            {
                var share = input.SellerShareFromAdjustments ? " The seller's share comes from the adjustments account." : " The seller's share is taken back from the seller.";
                Confirm = new Marketplace.Web.Pages.ConfirmStep($"Refund the order for {Marketplace.Web.Pages.Orders.OrderText.Title(order)}?",
                    $"{order.Total.ToDisplayString()} goes back to {Detail.User.DisplayName}, with your reason: “{input.Reason.Trim()}”.{share} This cannot be undone.",
                    Marketplace.Web.Pages.ConfirmStep.SameAction(Request),
                    [new("orderId", input.OrderId.ToString()), new("reason", input.Reason), new("sellerShareFromAdjustments", input.SellerShareFromAdjustments ? "true" : "false")],
                    "Yes, refund it", $"/Admin/Users/{id}");
                return Page();
            }
        }

        // Read before refunding: the message names the order ("Order for Logo design refunded"), not its id.
        var refunded = await LoadAsync(id, before: null) ? Detail.Orders.FirstOrDefault(o => o.Id == input.OrderId) : null;
        var result = await refunds.RefundAsync(User.AdminActor(), input.OrderId, input.Reason, input.SellerShareFromAdjustments, HttpContext.RequestAborted);
        if (result is RefundResult.Refunded done)
        {
            Flash = (refunded is null ? "Order refunded" : $"Order for {Marketplace.Web.Pages.Orders.OrderText.Title(refunded)} refunded") + $": {done.Amount.ToDisplayString()} back to the buyer" + (done.SellerShareFromAdjustments ? ", the seller's share taken from the adjustments account." : ".");
            return RedirectToPage(new { id });
        }

        // Every refund refusal shows above the orders, whichever row's form was sent.
        return await RefuseAsync(id, result.ToFailure(), "refund", null);
    }

    public Task<IActionResult> OnPostGrantAdminAsync(Guid id) => ChangeRoleAsync(id, grant: true);

    public Task<IActionResult> OnPostRevokeAdminAsync(Guid id) => ChangeRoleAsync(id, grant: false);

    public string? ErrorFor(string field) => Error is { } error && error.Field == field ? error.Message : null;

    /// <summary>The error summary focus moves to after a refused form (issue 14, defect 8): the adjust form's inputs are linked; a role or refund refusal has none.</summary>
    public (string? FieldId, string Message)? ErrorSummary =>
        Error is { } error ? (error.Field is "amount" or "reason" ? $"adjust_{error.Field}" : null, error.Message) : null;

    public static bool IsRefundable(OrderView order) =>
        order.Kind != OrderKind.Transfer && order.Status is OrderStatus.Completed or OrderStatus.Delivered or OrderStatus.AwaitingDelivery;

    private async Task<IActionResult> ChangeRoleAsync(Guid id, bool grant)
    {
        var result = grant
            ? await roles.GrantAsync(User.AdminActor(), id, HttpContext.RequestAborted)
            : await roles.RevokeAsync(User.AdminActor(), id, HttpContext.RequestAborted);
        switch (result)
        {
            case RoleChangeResult.Done done:
                Flash = (grant, done.Changed) switch
                {
                    (true, true) => $"{done.Email} is now an admin.",
                    (false, true) => $"{done.Email} is no longer an admin.",
                    (true, false) => $"{done.Email} was already an admin.",
                    _ => $"{done.Email} was not an admin.",
                };
                return RedirectToPage(new { id });
            case RoleChangeResult.Unverified:
                return await RefuseAsync(id, result.ToFailure(), "role", null);
            default:
                return NotFound();
        }
    }

    private async Task<IActionResult> RefuseAsync(Guid id, Failure failure, string field, AdjustInput? input)
    {
        if (!await LoadAsync(id, before: null))
        {
            return NotFound();
        }

        Error = (field, failure.Message);
        if (input is not null)
        {
            Adjust = input with { Key = input.Key ?? Guid.NewGuid().ToString("N") };
        }

        Response.StatusCode = failure.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, long? before)
    {
        var detail = await users.FindAsync(id, HistoryPageSize, before is > 0 ? before : null, HttpContext.RequestAborted);
        if (detail is null)
        {
            return false;
        }

        Detail = detail;
        Adjust = new AdjustInput(null, null, Guid.NewGuid().ToString("N"));
        return true;
    }
}
