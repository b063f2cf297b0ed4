using System.Globalization;
using Marketplace.Core;
using Marketplace.Core.Admin;
using Marketplace.Core.Catalog;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Text;
using Marketplace.Web.Text;

namespace Marketplace.Web.Failures;

/// <summary>
/// The one table from Core's expected failures to what everybody is told: status, code, title and message. The API
/// writes a <see cref="Failure"/> as problem details; a page shows its message, beside its field when it has one.
/// Messages are written for people and for API clients alike, so neither audience gets a different story.
/// </summary>
public static class FailureTable
{
    /// <summary>No session, or one that ended (logged out elsewhere, expired, the key replaced).</summary>
    public static Failure NotSignedIn { get; } = new(StatusCodes.Status401Unauthorized, "not_signed_in", "Not signed in", "You are not signed in, or your session has ended. Log in, then try again.");

    /// <summary>A transfer review's lookup: unknown and unverified addresses get the same answer (no account enumeration beyond what a transfer tells).</summary>
    public static Failure ToFailure(this RecipientLookup result) => result switch
    {
        RecipientLookup.Self => Failure.Unprocessable("self_transfer", "You cannot send credits to yourself.", "recipient"),
        _ => Failure.NotFound("recipient_not_found", "No account that can receive credits has this email address. Check it with the recipient; they must have verified it."),
    };

    public static Failure Forbidden { get; } = new(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", "You are not allowed to do that.");

    public static Failure ToFailure(this AuthResult result) => result switch
    {
        AuthResult.Invalid invalid => Failure.Invalid(invalid.Code, invalid.Field, invalid.Message),
        AuthResult.ChallengeRejected => new(StatusCodes.Status401Unauthorized, "challenge_rejected", "Challenge not accepted", "The challenge is unknown, expired, already used, or was issued for something else. Ask for a new one."),
        AuthResult.BadSignature or AuthResult.UnknownUser => new(StatusCodes.Status401Unauthorized, "bad_signature", "Signature not accepted", "The signature does not match this account's key."),
        AuthResult.EmailTaken => Failure.Conflict("email_taken", "Email already registered", "An account with this email already exists. Log in instead."),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this RecoveryResult result) => result switch
    {
        RecoveryResult.Invalid invalid => Failure.Invalid(invalid.Code, invalid.Field, invalid.Message),
        RecoveryResult.ChallengeRejected => new(StatusCodes.Status401Unauthorized, "challenge_rejected", "Challenge not accepted", "The challenge is unknown, expired, already used, issued for something else, or does not name this public key. Ask for a new one."),
        RecoveryResult.BadSignature { SettingUp: true } => new(StatusCodes.Status401Unauthorized, "bad_signature", "Signature not accepted", "The signatures do not match this account's key and the recovery code's key: unlock the key you signed up with and try again."),
        // The same answer for a wrong code, an unknown email and an account without a recovery key: accounts cannot be probed.
        RecoveryResult.BadSignature => new(StatusCodes.Status401Unauthorized, "bad_signature", "Signature not accepted", "That recovery code does not belong to this email address, or it was already used."),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this ResendResult result) => result switch
    {
        ResendResult.AlreadyVerified => Failure.Conflict("already_verified", "Already verified", "Your email address is already verified."),
        ResendResult.TooSoon tooSoon => new(
            StatusCodes.Status429TooManyRequests,
            "rate_limited",
            "Too many links",
            string.Create(CultureInfo.InvariantCulture, $"A verification link was sent a moment ago (at most one a minute and five a day); check your inbox, or try again in {Math.Max(1, (int)Math.Ceiling(tooSoon.RetryAfter.TotalMinutes))} minute(s).")),
        ResendResult.MailFailed => new(StatusCodes.Status503ServiceUnavailable, "mail_unavailable", "Mail not sent", "The mail server did not accept the message; try again in a few minutes."),
        ResendResult.UserNotFound => UserNotFound,
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this VerifyEmailResult result) => result switch
    {
        VerifyEmailResult.InvalidLink => Failure.Unprocessable("verification_link_invalid", "This verification link is unknown, expired or already used. Sign in and press Resend on your account page for a new one.", "token"),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this RoleChangeResult result) => result switch
    {
        RoleChangeResult.UnknownUser => UserNotFound,
        RoleChangeResult.Unverified unverified => Failure.Unprocessable(
            "email_unverified",
            $"{unverified.Email} has not verified its email address, and only verified accounts can be admins: the user follows the link in the verification mail (or presses Resend on the wallet page) first. Nothing changed.",
            "role"),
        _ => throw NotAFailure(result),
    };

    /// <summary>"You have no session with that id": ended already, or never this user's (the two look the same).</summary>
    public static Failure SessionNotFound { get; } =
        Failure.NotFound("session_not_found", "You have no session with that id; it may have ended already.");

    public static Failure ToFailure(this ListingResult result) => result switch
    {
        ListingResult.Invalid invalid => Failure.Invalid(invalid.Code, invalid.Field, invalid.Message),
        // The seller's own products only: someone else's is not found, like one that does not exist.
        ListingResult.NotFound => ProductNotFound,
        ListingResult.FileTooLarge tooLarge => new(
            StatusCodes.Status413PayloadTooLarge,
            "file_too_large",
            "File too large",
            string.Create(CultureInfo.InvariantCulture, $"A delivery file can be at most {tooLarge.MaxBytes / (1024 * 1024)} MB; nothing was saved. Compress it, or split it into parts."),
            "file"),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this DownloadResult result) => result switch
    {
        // Not the asker's order (and they are no admin) looks exactly like no order at all.
        DownloadResult.NotFound => OrderNotFound,
        DownloadResult.Refunded => new(StatusCodes.Status410Gone, "download_revoked", "Download ended", "This order was refunded, so its file can no longer be downloaded."),
        DownloadResult.NoFile => Failure.NotFound("no_download", "This order delivers a licence text only; there is no file to download."),
        DownloadResult.FileMissing => new(StatusCodes.Status503ServiceUnavailable, "file_unavailable", "File unavailable", "The file cannot be read at the moment; the marketplace's operators have been told. Try again later."),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this PurchaseResult result) => result switch
    {
        PurchaseResult.Malformed m => Failure.BadRequest(m.Code, m.Message, m.Field),
        PurchaseResult.WrongKey => new(StatusCodes.Status401Unauthorized, "public_key_mismatch", "Not your registered key", "The key that signed is not the one registered to your account: unlock the key you signed up with (or import your key backup), then try again."),
        PurchaseResult.BadSignature => new(StatusCodes.Status401Unauthorized, "bad_signature", "Signature not accepted", "The signature does not verify over the intent exactly as sent. Sign the intent string once and send it unchanged."),
        PurchaseResult.WrongAudience w => Failure.Unprocessable("wrong_audience", $"The intent was signed for another site; its audience must be {w.Expected}.", "audience"),
        PurchaseResult.StaleTimestamp { InFuture: false } => Failure.Unprocessable("stale_intent", "The intent's timestamp is more than 5 minutes old. Sign a new intent.", "timestamp"),
        PurchaseResult.StaleTimestamp { InFuture: true } => Failure.Unprocessable("future_intent", "The intent's timestamp is more than 5 minutes ahead of the server's clock. Check the device's clock.", "timestamp"),
        PurchaseResult.UnsupportedCurrency => Failure.Unprocessable("unsupported_currency", "Purchases and transfers are in credits: currency must be \"MC\".", "currency"),
        PurchaseResult.ProductNotFound => ProductNotFound,
        PurchaseResult.ProductUnavailable => Failure.Unprocessable("product_unavailable", "This product is not for sale at the moment.", "product_id"),
        PurchaseResult.OwnProduct => Failure.Unprocessable("own_product", "You cannot buy your own product.", "product_id"),
        PurchaseResult.PriceMismatch p => new(
            StatusCodes.Status422UnprocessableEntity,
            "price_mismatch",
            Failure.CannotBeCarriedOutTitle,
            $"The price is {p.Expected.ToDisplayString()} for that quantity, not what was signed: it changed since the page was loaded. Reload the page to see the new price and sign again.",
            "amount",
            new Dictionary<string, object?> { ["expected_amount"] = p.Expected.ToDecimalString() }),
        PurchaseResult.RecipientNotFound => Failure.NotFound("recipient_not_found", "There is no account with that email address."),
        PurchaseResult.RecipientUnverified => Failure.Unprocessable("recipient_unverified", "That account has not verified its email address yet, so it cannot receive credits. Ask the recipient to follow the link we mailed them.", "recipient"),
        PurchaseResult.SelfTransfer => Failure.Unprocessable("self_transfer", "You cannot send credits to yourself.", "recipient"),
        PurchaseResult.NonceReused => Failure.Conflict("nonce_reused", "Nonce already used", "This nonce was already used for a different intent. Sign a new intent with a fresh nonce."),
        PurchaseResult.InsufficientFunds => new(StatusCodes.Status402PaymentRequired, "insufficient_funds", "Not enough credits", "You do not have enough credits for this. Buy credits in your wallet, then try again."),
        PurchaseResult.AmountTooLarge tooLarge => Failure.Unprocessable("amount_too_large", $"One purchase or transfer moves at most {tooLarge.Max.ToDisplayString()}.", "amount"),
        _ => throw NotAFailure(result),
    };

    public static Failure OrderNotFound { get; } = Failure.NotFound("order_not_found", "There is no order with that id.");

    public static Failure ProductNotFound { get; } = Failure.NotFound("product_not_found", "There is no product with that id.");

    public static Failure UserNotFound { get; } = Failure.NotFound("user_not_found", "There is no user with that id.");

    public static Failure PaymentNotFound { get; } = Failure.NotFound("payment_not_found", "There is no payment with that id.");

    public static Failure WebhookNotFound { get; } = Failure.NotFound("webhook_not_found", "There is no webhook event with that id.");

    public static Failure ToFailure(this OrderTransitionResult result) => result switch
    {
        OrderTransitionResult.NotFound => OrderNotFound,
        OrderTransitionResult.Invalid invalid => Failure.Invalid(invalid.Code, "amount", invalid.Message),
        OrderTransitionResult.Conflict { Order: { Status: OrderStatus.Completed } order } => Failure.Conflict(
            "not_a_service_order",
            "The order cannot change that way",
            $"Only service orders are delivered or cancelled; order {order.Id} was completed at purchase.",
            OrderStatusFact(order)),
        OrderTransitionResult.Conflict { Order: var order } => Failure.Conflict(
            $"order_{WireName.Of(order.Status)}",
            "The order cannot change that way",
            $"Order {order.Id} is already {Labels.InSentence(Labels.Of(order.Status))}; nothing changed.",
            OrderStatusFact(order)),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this RefundResult result) => result switch
    {
        RefundResult.Invalid invalid => Failure.Invalid(invalid.Code, invalid.Field, invalid.Message),
        RefundResult.NotFound => OrderNotFound,
        RefundResult.AlreadyRefunded => Failure.Conflict("already_refunded", "Already refunded", "This order was already refunded; nothing changed."),
        RefundResult.NotRefundable { Order: { Kind: OrderKind.Transfer } order } => Failure.Conflict(
            "not_refundable",
            "The order cannot be refunded",
            "Transfers are not refunded; adjust the balances instead. Nothing changed.",
            OrderStatusFact(order)),
        RefundResult.NotRefundable { Order: var order } => Failure.Conflict(
            "not_refundable",
            "The order cannot be refunded",
            $"Order {order.Id} is {Labels.InSentence(Labels.Of(order.Status))}, so its credits are already back with the buyer. Nothing changed.",
            OrderStatusFact(order)),
        RefundResult.SellerBalanceInsufficient shortfall => new(
            StatusCodes.Status409Conflict,
            "seller_balance_insufficient",
            "The seller no longer has the proceeds",
            $"The seller's available balance is {shortfall.SellerAvailable.ToDisplayString()} but their share of this order is {shortfall.SellerShare.ToDisplayString()}. Nothing changed. To refund anyway, take the seller's share from the adjustments account.",
            "seller_share_from_adjustments",
            new Dictionary<string, object?> { ["seller_available"] = shortfall.SellerAvailable.ToDecimalString(), ["seller_share"] = shortfall.SellerShare.ToDecimalString() }),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this AdjustmentResult result) => result switch
    {
        AdjustmentResult.Invalid invalid => Failure.Invalid(invalid.Code, invalid.Field, invalid.Message),
        AdjustmentResult.UserNotFound => UserNotFound,
        AdjustmentResult.KeyReused => new(
            StatusCodes.Status409Conflict,
            "idempotency_key_reused",
            "Key already used",
            "This idempotency key was already used for a different adjustment; nothing changed. A new adjustment needs a new key (on the page: reload it and fill in the form again).",
            "idempotency_key"),
        AdjustmentResult.WouldGoNegative negative => Failure.Unprocessable(
            "would_go_negative",
            $"The user's available balance is {negative.Available.ToDisplayString()}; an adjustment cannot take it below zero.",
            "amount"),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this InitiateResult result) => result switch
    {
        InitiateResult.Invalid invalid => Failure.Invalid(invalid.Code, invalid.Field, invalid.Message),
        InitiateResult.PriceMismatch p => new(
            StatusCodes.Status422UnprocessableEntity,
            "price_mismatch",
            Failure.CannotBeCarriedOutTitle,
            $"The {p.Package.Name} package costs {p.Expected.ToDisplayString()}, not the amount sent: its price changed since it was shown. Show the new price and ask again; nothing was created.",
            "amount",
            new Dictionary<string, object?> { ["expected_amount"] = p.Expected.ToDecimalString() }),
        // The payment it was for is failed; a refusal (502) and an outage (503) ask for different next steps.
        InitiateResult.GatewayFailed failed => new(
            failed.Unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway,
            failed.Code,
            "The payment provider did not start the payment",
            failed.Unavailable
                ? "The payment provider is not reachable right now; try again in a minute or choose another payment method."
                : "The payment provider refused to start this payment; choose another payment method.",
            "gateway",
            new Dictionary<string, object?> { ["payment_id"] = failed.Payment.Id }),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this CancelResult result) => result switch
    {
        CancelResult.NotFound => PaymentNotFound,
        CancelResult.NotCancellable => Failure.Conflict("not_cancellable", "Not cancellable here", "Only bank transfers are cancelled here; a card or mobile-money checkout lapses by itself if you do not pay."),
        CancelResult.Closed { Payment: var payment } => Failure.Conflict("payment_closed", "Payment closed", $"This payment is {Labels.InSentence(Labels.Of(payment.Status))}; it cannot be cancelled now."),
        _ => throw NotAFailure(result),
    };

    /// <summary>An admin's confirm or reject of a bank transfer; each refusal names the transfer by its reference.</summary>
    public static Failure ToFailure(this BankDecisionResult result) => result switch
    {
        BankDecisionResult.NotFound => PaymentNotFound,
        BankDecisionResult.NotABankTransfer => Failure.Conflict("not_a_bank_transfer", "Not a bank transfer", "Only bank transfers are confirmed or rejected by an admin; this payment completes through its gateway."),
        BankDecisionResult.AlreadyConfirmed { Payment: var payment, Decision: var decision } => Failure.Conflict(
            "already_confirmed", "Already confirmed", $"{payment.ProviderReference} was already confirmed; nothing was credited again.", Decision(payment, decision)),
        BankDecisionResult.AlreadyRejected { Payment: var payment, Decision: var decision } => Failure.Conflict(
            "already_rejected", "Already rejected", $"{payment.ProviderReference} was already rejected ({payment.FailureReason}); it cannot be confirmed or rejected again.", Decision(payment, decision)),
        BankDecisionResult.Closed { Payment: var payment, Decision: var decision } => Failure.Conflict(
            "payment_closed", "Payment closed", $"{payment.ProviderReference} is {Labels.InSentence(Labels.Of(payment.Status))}; there is nothing left to decide.", Decision(payment, decision)),
        BankDecisionResult.Invalid invalid => Failure.Invalid(invalid.Code, invalid.Field, invalid.Message),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this CreditAnywayResult result) => result switch
    {
        CreditAnywayResult.Invalid invalid => Failure.Invalid(invalid.Code, "reason", invalid.Message),
        CreditAnywayResult.NotFound => WebhookNotFound,
        CreditAnywayResult.NotParked notParked => Failure.Conflict("not_parked", "Not a parked event", $"Only parked events are credited by hand; this one is {Labels.InSentence(Labels.Of(notParked.Status))}. Nothing changed."),
        CreditAnywayResult.NoPayment => Failure.Conflict("no_payment", "No payment to credit", "The event names no payment of ours; there is nothing to credit."),
        CreditAnywayResult.NotACollection => Failure.Conflict("not_a_collection", "Nothing to credit", "The event reports a refund, not money collected; there is nothing to credit for it (adjust the balance if the credits should go)."),
        CreditAnywayResult.PaymentClosed closed => Failure.Conflict("payment_closed", "Payment closed", $"The payment is {Labels.InSentence(Labels.Of(closed.Payment.Status))}; it is not credited from this event. Nothing changed."),
        _ => throw NotAFailure(result),
    };

    public static Failure NoCheckpoint { get; } = Failure.NotFound("no_checkpoint", "No ledger checkpoint has been signed yet; one is signed every few minutes once the ledger has transactions.");

    public static Failure ToFailure(this ProofResult result) => result switch
    {
        ProofResult.TransactionNotFound => Failure.NotFound("transaction_not_found", "There is no transaction with that id among yours."),
        ProofResult.BeyondTree beyond => Failure.Unprocessable(
            "size_beyond_tree",
            $"The ledger's tree has {beyond.TreeSize} transactions so far; ask for a size up to that (a checkpoint's tree_size).",
            "size") with { Extensions = new Dictionary<string, object?> { ["tree_size"] = beyond.TreeSize } },
        ProofResult.BeforeLeaf before => Failure.Unprocessable(
            "size_before_transaction",
            $"The transaction is leaf {before.LeafIndex}, so only trees of more than {before.LeafIndex} transactions hold it.",
            "size") with { Extensions = new Dictionary<string, object?> { ["leaf_index"] = before.LeafIndex } },
        ProofResult.SizesOutOfOrder => Failure.Unprocessable("sizes_out_of_order", "A consistency proof goes from a smaller tree to a larger one: from must not exceed to.", "from"),
        _ => throw NotAFailure(result),
    };

    public static Failure ToFailure(this RetryResult result) => result switch
    {
        RetryResult.NotFound => WebhookNotFound,
        RetryResult.NotWaiting => Failure.Conflict("not_waiting", "Not waiting for an admin", "Only dead letters and parked events are retried by hand; this one is on its way already. Nothing changed."),
        _ => throw NotAFailure(result),
    };

    private static Dictionary<string, object?> OrderStatusFact(Order order) => new() { ["order_status"] = WireName.Of(order.Status) };

    private static Dictionary<string, object?> Decision(Payment payment, BankTransferDecision? decision) => new()
    {
        ["payment_status"] = WireName.Of(payment.Status),
        ["credits"] = payment.Status == PaymentStatus.Succeeded ? payment.Credits.ToDecimalString() : null,
        ["decided_at"] = decision?.DecidedAt,
    };

    // A success handed to the table is a bug in the caller, not a failure to report.
    private static InvalidOperationException NotAFailure(object result) => new($"{result} is not a failure.");
}
