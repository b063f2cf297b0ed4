using Marketplace.Core;
using Marketplace.Core.Identity;
using Marketplace.Web.Api;
using Marketplace.Web.Auth;
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
        Flash = await verifications.ResendAsync(User.UserId(), AuthApi.SiteOrigin(Request, options), HttpContext.RequestAborted) switch
        {
            ResendResult.Sent sent => $"We sent a new link to {sent.Email}.",
            ResendResult.AlreadyVerified => "Your email address is already verified.",
            ResendResult.TooSoon tooSoon => $"A link was sent a moment ago; check your inbox, or try again in {Math.Max(1, (int)Math.Ceiling(tooSoon.RetryAfter.TotalMinutes))} minute(s).",
            _ => "The mail server did not take the message; try again in a few minutes.",
        };
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndAsync(Guid id)
    {
        Flash = await sessions.EndAsync(User.UserId(), id, HttpContext.RequestAborted)
            ? "That session has ended."
            : "That session had already ended.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        var ended = await sessions.EndOthersAsync(User.UserId(), User.SessionToken(), HttpContext.RequestAborted);
        Flash = ended == 0 ? "No other browser was signed in." : $"Logged out {ended} other session(s).";
        return RedirectToPage();
    }
}
