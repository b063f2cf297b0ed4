using Marketplace.Core.Identity;
using Marketplace.Web.Failures;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

/// <summary>Where the mailed link lands (<c>/Account/Verify?token=…</c>); works signed in or not, in any browser.</summary>
public class VerifyModel(EmailVerifications verifications) : PageModel
{
    public enum State
    {
        Asking,
        Verified,
        Invalid,
    }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public State Outcome { get; private set; }

    public string Email { get; private set; } = string.Empty;

    /// <summary>Why the link did not work (the same words the API uses).</summary>
    public string InvalidMessage { get; } = new VerifyEmailResult.InvalidLink().ToFailure().Message;

    public IActionResult OnGet()
    {
        Outcome = string.IsNullOrEmpty(Token) ? State.Invalid : State.Asking;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await verifications.VerifyAsync(Token, HttpContext.RequestAborted);
        if (result is VerifyEmailResult.Verified verified)
        {
            Outcome = State.Verified;
            Email = verified.Email;
            return Page();
        }

        Outcome = State.Invalid;
        Response.StatusCode = result.ToFailure().Status;
        return Page();
    }
}
