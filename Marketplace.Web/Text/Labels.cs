using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Webhooks;

namespace Marketplace.Web.Text;

/// <summary>
/// What people read for a status or a kind, on every page and in every message: one label per value. Machines get
/// <see cref="Core.Text.WireName"/> instead; the two never stand in for each other.
/// </summary>
public static class Labels
{
    public static string Of(TransactionKind kind) => kind switch
    {
        TransactionKind.TopUp => "Top-up",
        TransactionKind.BonusGrant => "Bonus grant",
        TransactionKind.WelcomeGrant => "Welcome grant",
        TransactionKind.Purchase => "Purchase",
        TransactionKind.SaleProceeds => "Sale proceeds",
        TransactionKind.Commission => "Commission",
        TransactionKind.Hold => "Hold",
        TransactionKind.HoldSettlement => "Hold settlement",
        TransactionKind.HoldRelease => "Hold release",
        TransactionKind.Transfer => "Transfer",
        TransactionKind.Refund => "Refund",
        TransactionKind.AdminAdjustment => "Admin adjustment",
        _ => throw Unnamed(kind),
    };

    /// <summary>A service order's label says where its credits are, which is what buyer and seller want to know.</summary>
    public static string Of(OrderStatus status) => status switch
    {
        OrderStatus.Completed => "Completed",
        OrderStatus.AwaitingDelivery => "Awaiting delivery (credits held)",
        OrderStatus.Delivered => "Delivered",
        OrderStatus.Cancelled => "Cancelled (credits returned)",
        OrderStatus.Expired => "Expired (credits returned)",
        OrderStatus.Refunded => "Refunded",
        _ => throw Unnamed(status),
    };

    public static string Of(OrderKind kind) => kind switch
    {
        OrderKind.Digital => "Digital",
        OrderKind.Service => "Service",
        OrderKind.Transfer => "Transfer",
        _ => throw Unnamed(kind),
    };

    public static string Of(ProductKind kind) => kind switch
    {
        ProductKind.Digital => "Digital",
        ProductKind.Service => "Service",
        _ => throw Unnamed(kind),
    };

    /// <summary>A created payment is, to people, simply not decided yet: the same as pending.</summary>
    public static string Of(PaymentStatus status) => status switch
    {
        PaymentStatus.Created or PaymentStatus.Pending => "Pending",
        PaymentStatus.Succeeded => "Succeeded",
        PaymentStatus.Failed => "Failed",
        PaymentStatus.Expired => "Expired",
        PaymentStatus.Cancelled => "Cancelled",
        PaymentStatus.Refunded => "Refunded",
        _ => throw Unnamed(status),
    };

    public static string Of(WebhookStatus status) => status switch
    {
        WebhookStatus.Pending => "Pending",
        WebhookStatus.Processing => "Processing",
        WebhookStatus.Done => "Done",
        WebhookStatus.DeadLetter => "Dead letter",
        WebhookStatus.Parked => "Parked",
        _ => throw Unnamed(status),
    };

    /// <summary>What a payment puts in the wallet, in words: "25.00 MC", or with a package's bonus "500.00 MC and a bonus of 50.00 MC".</summary>
    public static string CreditsOf(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return payment.Bonus.Units > 0
            ? $"{payment.Credits.ToDisplayString()} and a bonus of {payment.Bonus.ToDisplayString()}"
            : payment.Credits.ToDisplayString();
    }

    /// <summary>A label inside a sentence ("is already cancelled (credits returned)").</summary>
    public static string InSentence(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        return char.ToLowerInvariant(label[0]) + label[1..];
    }

    private static ArgumentOutOfRangeException Unnamed<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        new(nameof(value), value, $"{typeof(TEnum).Name} {value} has no label.");
}
