namespace Marketplace.Core.Payments;

/// <summary>
/// A gateway could not start a checkout (its API refused, is down, or our keys are wrong). Thrown by an
/// <see cref="IPaymentGateway"/> at the HTTP boundary; <see cref="PaymentService.InitiateAsync"/> turns it into
/// <see cref="InitiateResult.GatewayFailed"/> (the payment is marked failed), so callers see a result, not an exception.
/// </summary>
public sealed class PaymentGatewayException : Exception
{
    public PaymentGatewayException()
    {
    }

    public PaymentGatewayException(string message)
        : base(message)
    {
    }

    public PaymentGatewayException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PaymentGatewayException(string code, string message, bool unavailable, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Unavailable = unavailable;
    }

    /// <summary>Our stable problem code, e.g. <c>gateway_unavailable</c>, <c>gateway_rejected</c>.</summary>
    public string Code { get; } = "gateway_error";

    /// <summary>True when trying again later may work (rate limit, outage), false when the request itself was refused.</summary>
    public bool Unavailable { get; }
}
