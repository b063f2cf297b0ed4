using Marketplace.Core.Persistence;
using Marketplace.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Payments.Webhooks;

/// <summary>
/// Applies one gateway's stored events, the same way for every gateway: the gateway reads the event, the payment is
/// found by its key, the provider confirms, and the news goes through
/// <see cref="PaymentService.CompleteAsync(Guid, PaymentOutcome, string?, CompletionDetails, CancellationToken)"/>,
/// which credits once. Money that does not match the payment, a refund, or a collection for a cancelled payment is
/// parked for an admin with the reason. <see cref="PaymentGateways"/> registers one per configured gateway.
/// </summary>
public sealed class GatewayEventHandler<TGateway>(TGateway gateway, MarketplaceDb db, PaymentService payments) : IWebhookEventHandler
    where TGateway : IPaymentGateway
{
    public string Gateway => gateway.Name;

    public async Task<WebhookHandling> HandleAsync(WebhookInboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return gateway.ReadEvent(item) switch
        {
            PaymentEvent.Ignored ignored => new WebhookHandling.Done(Note: ignored.Note),
            PaymentEvent.Unreadable unreadable => new WebhookHandling.Park(unreadable.Problem),
            PaymentEvent.About about => await ApplyAsync(about.Key, about.News, cancellationToken),
            var other => throw new InvalidOperationException($"Unexpected {other}."),
        };
    }

    private async Task<WebhookHandling> ApplyAsync(PaymentKey key, PaymentNews news, CancellationToken cancellationToken)
    {
        var query = db.Payments.AsNoTracking();
        var payment = key.PaymentId is { } id
            ? await query.SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
            : await query.SingleOrDefaultAsync(p => p.Gateway == gateway.Name && p.ProviderReference == key.ProviderReference, cancellationToken);
        if (payment is null || payment.Gateway != gateway.Name)
        {
            return new WebhookHandling.Park($"No {gateway.DisplayName} payment {key} here.", payment?.Id);
        }

        if (key is { PaymentId: not null, ProviderReference: { } reference } && payment.ProviderReference is { } known && known != reference)
        {
            return new WebhookHandling.Park($"{reference} is not the payment's {known}.", payment.Id);
        }

        // Credited already: nothing an event says can add to it (a refund is the exception, and is news for an admin).
        if (news is not PaymentNews.Refunded && payment.Status is PaymentStatus.Succeeded or PaymentStatus.Refunded)
        {
            return new WebhookHandling.Done(payment.Id, $"The payment is already {Lower(payment.Status)}.");
        }

        var confirmed = await gateway.ConfirmAsync(payment, news, cancellationToken);
        switch (confirmed)
        {
            case PaymentNews.Paid paid when paid.Collected != payment.Amount:
                return new WebhookHandling.Park($"{gateway.DisplayName} reports {paid.Described} collected, but the payment is {payment.Amount.ToDisplayString()}; not credited.", payment.Id);
            case PaymentNews.Paid paid when payment.Status == PaymentStatus.Cancelled:
                return new WebhookHandling.Park($"{gateway.DisplayName} reports {paid.Described} collected for a payment that was cancelled; not credited.", payment.Id);
            case PaymentNews.Paid paid:
                return Applied(await payments.CompleteAsync(payment.Id, PaymentOutcome.Succeeded, reason: null, CompletionDetails.MoneyCollected, cancellationToken), payment.Id, paid.Note);
            case PaymentNews.Failed failed:
                return Applied(await payments.CompleteAsync(payment.Id, PaymentOutcome.Failed, failed.Reason, cancellationToken), payment.Id);
            case PaymentNews.Expired:
                return Applied(await payments.CompleteAsync(payment.Id, PaymentOutcome.Expired, cancellationToken: cancellationToken), payment.Id);
            case PaymentNews.Refunded refunded:
                return new WebhookHandling.Park(
                    payment.Status is not PaymentStatus.Succeeded ? $"{refunded.Described}; the payment was not credited ({Lower(payment.Status)})."
                    : payment.Bonus.Units > 0 ? $"{refunded.Described} after the payment was credited with {payment.Credits.ToDisplayString()} and a bonus of {payment.Bonus.ToDisplayString()} ({PaymentService.BonusDescription(payment)}); neither was taken back, because the shopper may have spent them and a wallet never goes below zero. If they should go, Admin → Users: Adjust balance by up to {(payment.Credits + payment.Bonus).ToDisplayString()} (the bonus goes with the credits it came with); an adjustment the wallet cannot cover is refused."
                    : $"{refunded.Described} after the payment was credited with {payment.Credits.ToDisplayString()}; the credits were not taken back (Admin → Users: Adjust balance, if they should be).",
                    payment.Id);
            case PaymentNews.Waiting waiting:
                return new WebhookHandling.Done(payment.Id, waiting.Note);
            case PaymentNews.Unconfirmed unconfirmed:
                return new WebhookHandling.Retry(unconfirmed.Reason, payment.Id);
            default:
                return new WebhookHandling.Retry($"{gateway.DisplayName} did not confirm {confirmed}.", payment.Id);
        }
    }

    private static WebhookHandling Applied(CompletionResult result, Guid paymentId, string? note = null) => result switch
    {
        CompletionResult.Completed { AlreadyFinal: true, Payment.Status: var status } => new WebhookHandling.Done(paymentId, $"The payment was already {Lower(status)}."),
        CompletionResult.Completed => new WebhookHandling.Done(paymentId, note),
        _ => new WebhookHandling.Park("The payment disappeared.", paymentId),
    };

    private static string Lower(PaymentStatus status) => WireName.Of(status);
}
