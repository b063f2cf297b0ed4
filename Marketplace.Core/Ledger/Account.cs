namespace Marketplace.Core.Ledger;

public enum AccountKind
{
    UserAvailable = 1,
    UserHeld = 2,
    PlatformRevenue = 10,
    PlatformPromotions = 11,
    PlatformAdjustments = 12,
    GatewayClearing = 20,
}

/// <summary>
/// A ledger account. <see cref="Balance"/> is maintained only by <see cref="LedgerService"/>
/// through conditional updates; reconciliation proves it equals the sum of the entries.
/// </summary>
public sealed class Account
{
    private Account()
    {
    }

    /// <summary>
    /// No balance goes past ±10^17 units (a thousand trillion MC): the ledger refuses the posting instead, so balance
    /// arithmetic never overflows (SQLite would silently turn the sum into a floating-point number). A database
    /// trigger refuses any balance that is not an integer as well.
    /// </summary>
    public const long MaxBalanceUnits = 100_000_000_000_000_000;

    public long Id { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public AccountKind Kind { get; private set; }

    public Guid? OwnerId { get; private set; }

    public string Currency { get; private set; } = Credits.Code;

    public long Balance { get; private set; }

    public bool AllowNegative { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static Account ForUser(Guid userId, AccountKind kind, DateTime now)
    {
        if (kind is not (AccountKind.UserAvailable or AccountKind.UserHeld))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a user account kind.");
        }

        return new Account
        {
            Code = AccountCodes.ForUser(userId, kind),
            Kind = kind,
            OwnerId = userId,
            AllowNegative = false,
            CreatedAt = now,
        };
    }

    public static Account ForPlatform(string code, AccountKind kind, DateTime now) => new()
    {
        Code = code,
        Kind = kind,
        // Platform and clearing accounts mirror money outside the wallets, so they run negative.
        AllowNegative = true,
        CreatedAt = now,
    };
}

public static class AccountCodes
{
    public const string Revenue = "platform:revenue";
    public const string Promotions = "platform:promotions";
    public const string Adjustments = "platform:adjustments";

    public static string Clearing(string gateway) => $"clearing:{gateway.ToLowerInvariant()}";

    public static string ForUser(Guid userId, AccountKind kind) =>
        kind == AccountKind.UserHeld ? $"user:{userId:N}:held" : $"user:{userId:N}:available";
}
