using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Payments.BankTransfer;

/// <summary>
/// No third party: the shopper is shown the platform's bank details and a reference to write on the transfer,
/// and the payment waits for an admin to confirm what arrived (<see cref="BankTransferService"/>).
/// </summary>
public sealed class BankTransferGateway(BankTransferOptions bank, MarketplaceOptions options, MarketplaceDb db) : IPaymentGateway
{
    public const string GatewayName = "bank";

    public string Name => GatewayName;

    public string DisplayName => "Bank transfer";

    public BankTransferOptions Account => bank;

    public bool Supports(Currency currency) => currency != Currency.Credits;

    public InitiateResult.Invalid? Refuse(Money amount, Credits credits)
    {
        var below = amount.Currency == bank.Minimum.Currency
            ? amount.Minor < bank.Minimum.Minor
            : credits < options.CreditPrices.ToCredits(bank.Minimum);
        return below
            ? new InitiateResult.Invalid("below_minimum", "amount", $"Bank transfers start at {bank.Minimum.ToDisplayString()} (or the same value in another currency).")
            : null;
    }

    public async Task<GatewayCheckout> StartCheckoutAsync(Payment payment, Uri siteOrigin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        // 35 random bits make a repeat rare; the unique index on (gateway, reference) makes it impossible.
        string reference;
        do
        {
            reference = BankReference.New();
        }
        while (await db.Payments.AnyAsync(p => p.Gateway == GatewayName && p.ProviderReference == reference, cancellationToken));

        return new GatewayCheckout(new Uri(siteOrigin, $"/payments/bank/{payment.Id}"), reference);
    }
}
