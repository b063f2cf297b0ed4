using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Text;

namespace Marketplace.Core.Tests.Text;

/// <summary>Every name an enum gets outside the process is snake_case, made in one place (WireName).</summary>
public sealed class WhenNamingEnumsOnTheWire
{
    [Fact]
    public void Words_are_joined_by_underscores_in_lower_case()
    {
        Assert.Equal("awaiting_delivery", WireName.Of(OrderStatus.AwaitingDelivery));
        Assert.Equal("top_up", WireName.Of(TransactionKind.TopUp));
        Assert.Equal("dead_letter", WireName.Of(WebhookStatus.DeadLetter));
        Assert.Equal("recovery_key", WireName.Of(ChallengePurpose.RecoveryKey));
    }

    [Fact]
    public void Single_words_read_as_they_always_did_on_the_wire()
    {
        // These were lower-cased by hand before WireName; the API's values must not move.
        Assert.Equal(["created", "pending", "succeeded", "failed", "expired", "cancelled", "refunded"], WireName.All<PaymentStatus>());
        Assert.Equal(["digital", "service"], WireName.All<ProductKind>());
        Assert.Equal(["clean", "discrepancies"], WireName.All<ReconciliationStatus>());
    }

    [Fact]
    public void Every_name_reads_back_as_its_value()
    {
        Assert.All(Enum.GetValues<TransactionKind>(), kind => Assert.Equal(kind, Parse<TransactionKind>(WireName.Of(kind))));
        Assert.All(Enum.GetValues<OrderStatus>(), status => Assert.Equal(status, Parse<OrderStatus>(WireName.Of(status))));
        Assert.All(Enum.GetValues<ChallengePurpose>(), purpose => Assert.Equal(purpose, Parse<ChallengePurpose>(WireName.Of(purpose))));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("Digital, Service")]
    [InlineData("digital,service")]
    [InlineData(" digital")]
    [InlineData("")]
    [InlineData(null)]
    public void Only_a_wire_name_parses_never_a_number_or_a_list(string? text)
    {
        Assert.False(WireName.TryParse<ProductKind>(text, out _, ignoreCase: true));
    }

    [Fact]
    public void Case_is_ignored_only_when_asked()
    {
        Assert.False(WireName.TryParse<ProductKind>("Service", out _));
        Assert.True(WireName.TryParse<ProductKind>("Service", out var kind, ignoreCase: true));
        Assert.Equal(ProductKind.Service, kind);
        Assert.False(WireName.TryParse<OrderStatus>("AwaitingDelivery", out _, ignoreCase: true));
    }

    [Fact]
    public void A_value_without_a_name_is_a_bug_not_a_name()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WireName.Of((OrderStatus)99));
    }

    private static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum =>
        WireName.TryParse<TEnum>(text, out var value) ? value : throw new FormatException(text);
}
