using Marketplace.Core.Admin;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Api;

/// <summary>
/// The one mapping from expected failures to RFC 9457 problem details. Every problem carries a
/// stable <c>code</c> (also the last segment of its <c>type</c>) that clients can switch on.
/// </summary>
public static class ApiProblems
{
    public const string TypeBase = "https://marketplace.example/problems/";

    public static ProblemHttpResult Problem(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Type = TypeBase + code,
            Title = title,
            Detail = detail ?? title,
        };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult BadRequest(string code, string detail, string? field = null) =>
        Problem(StatusCodes.Status400BadRequest, code, "The request is not valid", detail, field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult NotFound(string code, string detail) =>
        Problem(StatusCodes.Status404NotFound, code, "Not found", detail);

    public static ProblemHttpResult Unprocessable(string code, string detail, string? field = null) =>
        Problem(StatusCodes.Status422UnprocessableEntity, code, "The request cannot be carried out", detail, field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult ToProblem(this AuthResult result) => result switch
    {
        AuthResult.Invalid invalid => BadRequest(invalid.Code, invalid.Message, invalid.Field),
        AuthResult.ChallengeRejected => Problem(StatusCodes.Status401Unauthorized, "challenge_rejected", "Challenge not accepted", "The challenge is unknown, expired, already used, or was issued for something else. Ask for a new one."),
        AuthResult.BadSignature or AuthResult.UnknownUser => Problem(StatusCodes.Status401Unauthorized, "bad_signature", "Signature not accepted", "The signature does not match this account's key."),
        AuthResult.EmailTaken => Problem(StatusCodes.Status409Conflict, "email_taken", "Email already registered", "An account with this email already exists. Log in instead."),
        _ => throw new InvalidOperationException($"{result} is not a failure."),
    };

    public static ProblemHttpResult ToProblem(this RecoveryResult result) => result switch
    {
        RecoveryResult.Invalid invalid => BadRequest(invalid.Code, invalid.Message, invalid.Field),
        RecoveryResult.ChallengeRejected => Problem(StatusCodes.Status401Unauthorized, "challenge_rejected", "Challenge not accepted", "The challenge is unknown, expired, already used, issued for something else, or does not name this public key. Ask for a new one."),
        RecoveryResult.BadSignature => Problem(StatusCodes.Status401Unauthorized, "bad_signature", "Signature not accepted", "The signature does not match: check the recovery code (or, when setting one up, unlock the key you signed up with)."),
        _ => throw new InvalidOperationException($"{result} is not a failure."),
    };

    public static ProblemHttpResult ToProblem(this ResendResult result) => result switch
    {
        ResendResult.AlreadyVerified => Problem(StatusCodes.Status409Conflict, "already_verified", "Already verified", "Your email address is already verified."),
        ResendResult.TooSoon => Problem(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many links", "A verification link was sent a moment ago (at most one a minute and five a day); check your inbox or wait a little."),
        ResendResult.MailFailed => Problem(StatusCodes.Status503ServiceUnavailable, "mail_unavailable", "Mail not sent", "The mail server did not accept the message; try again in a few minutes."),
        ResendResult.UserNotFound => NotFound("user_not_found", "There is no such user."),
        _ => throw new InvalidOperationException($"{result} is not a failure."),
    };

    public static ProblemHttpResult ToProblem(this InitiateResult.Invalid invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        return invalid.Code is "amount_too_small" or "amount_too_large" or "below_minimum" or "too_many_open_payments"
            ? Unprocessable(invalid.Code, invalid.Message, invalid.Field)
            : BadRequest(invalid.Code, invalid.Message, invalid.Field);
    }

    /// <summary>A gateway that refused (502) or is unreachable or busy (503); the payment it was for is failed.</summary>
    public static ProblemHttpResult ToProblem(this InitiateResult.GatewayFailed failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return Problem(
            failed.Unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway,
            failed.Code,
            "The payment provider did not start the payment",
            failed.Unavailable ? "The payment provider is not reachable right now; try again in a minute or choose another payment method." : "The payment provider refused to start this payment; choose another payment method.",
            new Dictionary<string, object?> { ["payment_id"] = failed.Payment.Id });
    }

    public static ProblemHttpResult ToProblem(this PurchaseResult result) => result switch
    {
        PurchaseResult.Malformed m => BadRequest(m.Code, m.Message, m.Field),
        PurchaseResult.WrongKey => Problem(StatusCodes.Status401Unauthorized, "public_key_mismatch", "Not your registered key", "The public key is not the one registered to this account. Unlock the key you signed up with."),
        PurchaseResult.BadSignature => Problem(StatusCodes.Status401Unauthorized, "bad_signature", "Signature not accepted", "The signature does not verify over the intent exactly as sent. Sign the intent string once and send it unchanged."),
        PurchaseResult.WrongAudience w => Unprocessable("wrong_audience", $"The intent was signed for another site; its audience must be {w.Expected}.", "audience"),
        PurchaseResult.StaleTimestamp { InFuture: false } => Unprocessable("stale_intent", "The intent's timestamp is more than 5 minutes old. Sign a new intent.", "timestamp"),
        PurchaseResult.StaleTimestamp { InFuture: true } => Unprocessable("future_intent", "The intent's timestamp is more than 5 minutes ahead of the server's clock. Check the device's clock.", "timestamp"),
        PurchaseResult.UnsupportedCurrency => Unprocessable("unsupported_currency", "Purchases and transfers are in credits: currency must be \"MC\".", "currency"),
        PurchaseResult.ProductNotFound => NotFound("product_not_found", "There is no product with that id."),
        PurchaseResult.ProductUnavailable => Unprocessable("product_unavailable", "This product is not for sale at the moment.", "product_id"),
        PurchaseResult.OwnProduct => Unprocessable("own_product", "You cannot buy your own product.", "product_id"),
        PurchaseResult.PriceMismatch p => Problem(
            StatusCodes.Status422UnprocessableEntity,
            "price_mismatch",
            "The request cannot be carried out",
            $"The price is {p.Expected.ToDisplayString()} for that quantity; the intent says otherwise. Reload the product and sign again.",
            new Dictionary<string, object?> { ["field"] = "amount", ["expected_amount"] = p.Expected.ToDecimalString() }),
        PurchaseResult.RecipientNotFound => NotFound("recipient_not_found", "There is no account with that email address."),
        PurchaseResult.RecipientUnverified => Unprocessable("recipient_unverified", "That account has not confirmed its email address yet, so it cannot receive credits. Ask the recipient to follow the link we mailed them.", "recipient"),
        PurchaseResult.SelfTransfer => Unprocessable("self_transfer", "You cannot send credits to yourself.", "recipient"),
        PurchaseResult.NonceReused => Problem(StatusCodes.Status409Conflict, "nonce_reused", "Nonce already used", "This nonce was already used for a different intent. Sign a new intent with a fresh nonce."),
        PurchaseResult.InsufficientFunds => Problem(StatusCodes.Status402PaymentRequired, "insufficient_funds", "Not enough credits", "Your available balance is too low for this. Buy credits and try again."),
        PurchaseResult.AmountTooLarge tooLarge => Unprocessable("amount_too_large", $"One purchase or transfer moves at most {tooLarge.Max.ToDisplayString()}.", "amount"),
        _ => throw new InvalidOperationException($"{result} is not a failure."),
    };

    public static ProblemHttpResult OrderNotFound() => NotFound("order_not_found", "There is no order with that id.");

    public static ProblemHttpResult ToProblem(this OrderTransitionResult result) => result switch
    {
        OrderTransitionResult.NotFound => OrderNotFound(),
        OrderTransitionResult.Invalid i => i.Code == "amount_exceeds_order" ? Unprocessable(i.Code, i.Message, "amount") : BadRequest(i.Code, i.Message, "amount"),
        OrderTransitionResult.Conflict { Order: var order } => Problem(
            StatusCodes.Status409Conflict,
            order.Status == OrderStatus.Completed ? "not_a_service_order" : $"order_{Order.StatusName(order.Status)}",
            "The order cannot change that way",
            order.Status == OrderStatus.Completed
                ? "Only service orders are delivered or cancelled; this order was completed at purchase."
                : $"The order is already {Order.StatusName(order.Status).Replace('_', ' ')}.",
            new Dictionary<string, object?> { ["order_status"] = Order.StatusName(order.Status) }),
        _ => throw new InvalidOperationException($"{result} is not a failure."),
    };

    public static ProblemHttpResult ToProblem(this AdjustmentResult result) => result switch
    {
        AdjustmentResult.Invalid { Code: "amount_too_large" } tooLarge => Unprocessable(tooLarge.Code, tooLarge.Message, tooLarge.Field),
        AdjustmentResult.Invalid invalid => BadRequest(invalid.Code, invalid.Message, invalid.Field),
        AdjustmentResult.UserNotFound => NotFound("user_not_found", "There is no user with that id."),
        AdjustmentResult.KeyReused => Problem(StatusCodes.Status409Conflict, "idempotency_key_reused", "Key already used", "This idempotency key was used for a different adjustment. Use a new key for a new adjustment."),
        AdjustmentResult.WouldGoNegative negative => Unprocessable(
            "would_go_negative",
            $"The user's available balance is {negative.Available.ToDisplayString()}; an adjustment cannot take it below zero.",
            "amount"),
        _ => throw new InvalidOperationException($"{result} is not a failure."),
    };

    public static ProblemHttpResult ToProblem(this RefundResult result) => result switch
    {
        RefundResult.Invalid invalid => BadRequest(invalid.Code, invalid.Message, invalid.Field),
        RefundResult.NotFound => OrderNotFound(),
        RefundResult.AlreadyRefunded => Problem(StatusCodes.Status409Conflict, "already_refunded", "Already refunded", "This order was refunded before; nothing changed."),
        RefundResult.NotRefundable { Order: var order } => Problem(
            StatusCodes.Status409Conflict,
            "not_refundable",
            "The order cannot be refunded",
            order.Kind == OrderKind.Transfer ? "Transfers are not refunded; adjust the balances instead." : $"The order is {Order.StatusName(order.Status).Replace('_', ' ')}: its credits are already back with the buyer.",
            new Dictionary<string, object?> { ["order_status"] = Order.StatusName(order.Status) }),
        RefundResult.SellerBalanceInsufficient shortfall => Problem(
            StatusCodes.Status409Conflict,
            "seller_balance_insufficient",
            "The seller no longer has the proceeds",
            $"The seller's available balance is {shortfall.SellerAvailable.ToDisplayString()} but their share of this order is {shortfall.SellerShare.ToDisplayString()}. Nothing changed. To refund anyway, send seller_share_from_adjustments: true so the platform covers the seller's share.",
            new Dictionary<string, object?> { ["seller_available"] = shortfall.SellerAvailable.ToDecimalString(), ["seller_share"] = shortfall.SellerShare.ToDecimalString() }),
        _ => throw new InvalidOperationException($"{result} is not a failure."),
    };

    public static ProblemHttpResult ToProblem(this CreditAnywayResult result) => result switch
    {
        CreditAnywayResult.Invalid invalid => BadRequest(invalid.Code, invalid.Message, "reason"),
        CreditAnywayResult.NotFound => NotFound("webhook_not_found", "There is no webhook event with that id."),
        CreditAnywayResult.NotParked notParked => Problem(StatusCodes.Status409Conflict, "not_parked", "Not a parked event", $"Only parked events are credited by hand; this one is {notParked.Status.ToString().ToLowerInvariant()}."),
        CreditAnywayResult.NoPayment => Problem(StatusCodes.Status409Conflict, "no_payment", "No payment to credit", "The event names no payment of ours; there is nothing to credit."),
        CreditAnywayResult.PaymentClosed closed => Problem(StatusCodes.Status409Conflict, "payment_closed", "Payment closed", $"The payment is {closed.Payment.Status.ToString().ToLowerInvariant()}; it is not credited from this event."),
        _ => throw new InvalidOperationException($"{result} is not a failure."),
    };

    public static ProblemHttpResult ToProblem(this ProofResult result) => result switch
    {
        ProofResult.TransactionNotFound => NotFound("transaction_not_found", "There is no transaction with that id among yours."),
        ProofResult.BeyondTree beyond => Problem(
            StatusCodes.Status422UnprocessableEntity,
            "size_beyond_tree",
            "The request cannot be carried out",
            $"The ledger's tree has {beyond.TreeSize} transactions so far; ask for a size up to that (a checkpoint's tree_size).",
            new Dictionary<string, object?> { ["field"] = "size", ["tree_size"] = beyond.TreeSize }),
        ProofResult.BeforeLeaf before => Problem(
            StatusCodes.Status422UnprocessableEntity,
            "size_before_transaction",
            "The request cannot be carried out",
            $"The transaction is leaf {before.LeafIndex}, so only trees of more than {before.LeafIndex} transactions hold it.",
            new Dictionary<string, object?> { ["field"] = "size", ["leaf_index"] = before.LeafIndex }),
        ProofResult.SizesOutOfOrder => Unprocessable("sizes_out_of_order", "A consistency proof goes from a smaller tree to a larger one: from must not exceed to.", "from"),
        _ => throw new InvalidOperationException($"{result} is not a failure."),
    };

    public static ProblemHttpResult NoCheckpoint() => NotFound("no_checkpoint", "No ledger checkpoint has been signed yet; one is signed every few minutes once the ledger has transactions.");

    /// <summary>For places outside endpoint handlers (middleware, auth events, the rate limiter).</summary>
    public static async Task Write(HttpContext context, int status, string code, string title, string detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var problem = new Dictionary<string, object?>
        {
            ["type"] = TypeBase + code,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["code"] = code,
        };
        await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", cancellationToken);
    }
}
