using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Marketplace.Core.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Core.Payments.BankTransfer;

/// <summary>
/// No third party: the shopper is shown the platform's bank details and a reference to write on the transfer, and
/// the payment waits for an admin to confirm what arrived (<see cref="BankTransferService"/>, whose decisions are kept
/// in <see cref="BankTransferDecision"/>). It takes no webhooks and never expires by age.
/// </summary>
public sealed class BankTransferGateway(BankTransferOptions bank, MarketplaceOptions options, MarketplaceDb db) : IPaymentGateway, IGatewayRegistration
{
    public static string GatewayName => "bank";

    public string Name => GatewayName;

    public string DisplayName => "Bank transfer";

    public HostedCheckoutOrigin? CheckoutOrigin => null;

    public bool ExpiresByAge => false;

    public BankTransferOptions Account => bank;

    /// <summary>Offered only when the bank details are configured; the admin side (<see cref="BankTransferService"/>) works either way.</summary>
    public static bool TryAdd(IServiceCollection services, StartupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Read<BankTransferOptions>().IsConfigured)
        {
            return false;
        }

        services.AddSettings<BankTransferOptions>();
        return true;
    }

    public bool Supports(Currency currency) => currency != Currency.Credits;

    /// <summary>An admin credits what actually arrived, which a package's fixed price and bonus cannot follow.</summary>
    public bool SellsPackages => false;

    public Money? Minimum => bank.Minimum;

    public InitiateResult.Invalid? Refuse(Money amount, Credits credits)
    {
        var below = amount.Currency == bank.Minimum.Currency
            ? amount.Minor < bank.Minimum.Minor
            : credits < options.CreditPrices.ToCredits(bank.Minimum);
        return below
            ? new InitiateResult.Invalid("below_minimum", "amount", $"Bank transfers start at {bank.Minimum.ToDisplayString()} (or the same value in another currency).")
            : null;
    }

    public async Task<StartResult> StartAsync(Payment payment, Uri siteOrigin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        // 35 random bits make a repeat rare; the unique index on (gateway, reference) makes it impossible.
        string reference;
        do
        {
            reference = BankReference.New();
        }
        while (await db.Payments.AnyAsync(p => p.Gateway == GatewayName && p.ProviderReference == reference, cancellationToken));

        return new StartResult.Instructions(new Uri(siteOrigin, $"/payments/bank/{payment.Id}"), reference);
    }

    public WebhookReading ReadWebhook(WebhookDelivery delivery) => new WebhookReading.NoWebhooks();

    public PaymentEvent ReadEvent(WebhookInboxItem item) => new PaymentEvent.Ignored("Bank transfers take no webhooks.");

    /// <summary>An admin's confirmation is the bank's word; there is no one else to ask.</summary>
    public Task<PaymentNews> ConfirmAsync(Payment payment, PaymentNews news, CancellationToken cancellationToken) => Task.FromResult(news);

    /// <summary>Nothing is open anywhere but here: the shopper withdraws a transfer with Cancel transfer.</summary>
    public Task<CheckoutClosing> CloseAsync(Payment payment, CancellationToken cancellationToken) => Task.FromResult(CheckoutClosing.Closed);
}
