using Marketplace.Core.Ledger;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>The wallet's banners until the account is complete: the email is verified and a recovery code is set up.</summary>
public sealed record AccountReminders(string Email, bool EmailVerified, bool HasRecoveryKey)
{
    public static AccountReminders For(WalletSummary? summary) =>
        summary is null ? new(string.Empty, true, true) : new(summary.Email, summary.EmailVerified, summary.HasRecoveryKey);
}
