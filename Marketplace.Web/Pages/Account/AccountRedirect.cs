using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.Account;

internal static class AccountRedirect
{
    // The script redirects to this after signing in; only local paths, or it is an open redirect.
    public static string? LocalOrNull(IUrlHelper url, string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) ? returnUrl : null;
}
