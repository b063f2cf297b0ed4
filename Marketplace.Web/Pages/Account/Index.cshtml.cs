using Marketplace.Core;
using Marketplace.Core.Identity;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

/// <summary>The user's own account: email verification (Resend), key backup and recovery code, and sessions.</summary>
[Authorize]
public class IndexModel(AuthService auth, Sessions sessions, EmailVerifications verifications, MarketplaceOptions options) : PageModel
{
    public string Email { get; private set; } = string.Empty;

    public bool EmailVerified { get; private set; }

    public bool HasRecoveryKey { get; private set; }

    public IReadOnlyList<SessionView> SessionList { get; private set; } = [];

    [TempData]
    public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await auth.FindAsync(User.UserId(), HttpContext.RequestAborted);
        if (user is null)
        {
            return NotFound();
        }

        Email = user.Email;
        EmailVerified = user.IsEmailVerified;
        HasRecoveryKey = user.RecoveryPublicKey is not null;
        SessionList = await sessions.ListAsync(user.Id, User.SessionToken(), HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync()
    {
        var result = await verifications.ResendAsync(User.UserId(), Request.SiteOrigin(options), HttpContext.RequestAborted);
        Flash = result is ResendResult.Sent sent ? $"We sent a new link to {sent.Email}." : result.ToFailure().Message;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndAsync(Guid id)
    {
        Flash = await sessions.EndAsync(User.UserId(), id, HttpContext.RequestAborted)
            ? "That session has ended."
            : FailureTable.SessionNotFound.Message;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        var ended = await sessions.EndOthersAsync(User.UserId(), User.SessionToken(), HttpContext.RequestAborted);
        Flash = ended == 0 ? "No other browser was signed in." : $"Logged out {ended} other session(s).";
        return RedirectToPage();
    }
}
