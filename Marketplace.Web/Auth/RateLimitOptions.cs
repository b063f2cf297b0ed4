using Marketplace.Core.Settings;

namespace Marketplace.Web.Auth;

/// <summary>Per-client budgets past which a request gets 429 with Retry-After (<c>RateLimits__…</c>).</summary>
public sealed class RateLimitOptions : ISettings<RateLimitOptions>
{
    private const int Max = 1_000_000;

    public static string Section => "RateLimits";

    /// <summary>Challenge, register and log-in requests per client IP per minute.</summary>
    public int AuthPerMinute { get; init; } = 60;

    /// <summary>Recovery attempts (each one a guess at a code) per client IP per hour: a much smaller budget than sign-ins.</summary>
    public int RecoverPerHour { get; init; } = 10;

    /// <summary><c>POST /api/payments/initiate</c> per signed-in user per minute.</summary>
    public int InitiatePerMinute { get; init; } = 10;

    /// <summary><c>GET /api/wallet/recipient</c> (a transfer's review step) per signed-in user per minute: enough to send, too few to harvest names.</summary>
    public int RecipientLookupsPerMinute { get; init; } = 20;

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.WholeNumber(nameof(AuthPerMinute), AuthPerMinute, 1, Max);
        check.WholeNumber(nameof(RecoverPerHour), RecoverPerHour, 1, Max);
        check.WholeNumber(nameof(InitiatePerMinute), InitiatePerMinute, 1, Max);
        check.WholeNumber(nameof(RecipientLookupsPerMinute), RecipientLookupsPerMinute, 1, Max);
    }
}
