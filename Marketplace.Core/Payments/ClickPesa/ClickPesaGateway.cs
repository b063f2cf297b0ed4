using System.Text.Json;
using Marketplace.Core.Payments.Webhooks;

namespace Marketplace.Core.Payments.ClickPesa;

/// <summary>
/// Mobile money through ClickPesa's hosted checkout (TZS and USD). The order reference is derived from the
/// payment id and stored as the payment's provider reference; webhooks and status queries find the payment by it.
/// Where the shopper returns after paying is set in ClickPesa's dashboard, not per request.
/// </summary>
public sealed class ClickPesaGateway(ClickPesaClient client, WebhookInbox inbox) : IPaymentGateway, ICheckoutExpiry
{
    public const string GatewayName = "clickpesa";

    public string Name => GatewayName;

    public string DisplayName => "Mobile money (ClickPesa)";

    public bool Supports(Currency currency) => currency == Currency.Tzs || currency == Currency.Usd;

    public async Task<GatewayCheckout> StartCheckoutAsync(Payment payment, Uri siteOrigin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var orderReference = OrderReference(payment.Id);
        var request = new ClickPesaCheckoutRequest(payment.Amount.ToDecimalString(), orderReference, payment.Currency, $"Marketplace credits: {payment.Credits.ToDisplayString()}");
        return await client.GenerateCheckoutLinkAsync(request, cancellationToken) switch
        {
            ClickPesaResult<Uri>.Ok ok => new GatewayCheckout(ok.Value, orderReference),
            ClickPesaResult<Uri>.Failed failed => throw new PaymentGatewayException(
                failed.Transient ? "gateway_unavailable" : "gateway_rejected",
                $"ClickPesa could not create a checkout link ({failed.Status}): {failed.Message}",
                failed.Transient),
            var other => throw new InvalidOperationException($"Unexpected {other}."),
        };
    }

    /// <summary>
    /// A checkout link cannot be withdrawn through the API, so expiry asks ClickPesa first. Paid: the payment is left
    /// open and a notification of our own goes into the inbox, so a lost webhook still ends in the same
    /// status-confirmed crediting. Anything else expires (money that still arrives later is credited anyway: a late
    /// success after expiry is allowed). Unreachable: ask again on the next sweep.
    /// </summary>
    public async Task<CheckoutExpiry> CloseCheckoutAsync(Payment payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var orderReference = payment.ProviderReference ?? OrderReference(payment.Id);
        switch (await client.QueryPaymentAsync(orderReference, cancellationToken))
        {
            case ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Ok ok when ok.Value.Any(s => s.IsPaid):
                var check = JsonSerializer.Serialize(new { @event = ClickPesaNotification.PaymentReceived, data = new { orderReference, source = "expiry check" } });
                await inbox.AcceptAsync(GatewayName, $"{ClickPesaNotification.PaymentReceived}:expiry-check:{payment.Id:N}", ClickPesaNotification.PaymentReceived, check, cancellationToken);
                return CheckoutExpiry.Completed;
            case ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Ok or ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Failed { Status: 404 }:
                return CheckoutExpiry.Expired;
            default:
                return CheckoutExpiry.TryLater;
        }
    }

    /// <summary>
    /// "MC" and the first 18 hex digits of the payment id, upper case: letters and digits only, 20 characters
    /// (ClickPesa's limit is undocumented; 20 is kept to be safe), unique per payment (72 random bits of a v4 id,
    /// and the unique index on provider references makes a clash fail rather than mix two payments up).
    /// </summary>
    public static string OrderReference(Guid paymentId) => "MC" + paymentId.ToString("N")[..18].ToUpperInvariant();
}
