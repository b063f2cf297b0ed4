using Marketplace.Core.Identity;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>The wallet's banners until the account is complete: the email is verified and a recovery code is set up.</summary>
public sealed record AccountReminders(string Email, bool EmailVerified, bool HasRecoveryKey)
{
    public static AccountReminders For(User? user) =>
        user is null ? new(string.Empty, true, true) : new(user.Email, user.IsEmailVerified, user.RecoveryPublicKey is not null);
}
