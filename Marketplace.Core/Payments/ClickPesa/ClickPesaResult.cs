namespace Marketplace.Core.Payments.ClickPesa;

/// <summary>A ClickPesa API call's answer: the value, or why not (HTTP status, 0 when ClickPesa could not be reached, and its message).</summary>
public abstract record ClickPesaResult<T>
{
    private ClickPesaResult()
    {
    }

    public sealed record Ok(T Value) : ClickPesaResult<T>;

    public sealed record Failed(int Status, string Message) : ClickPesaResult<T>
    {
        /// <summary>Worth trying again later: unreachable, rate limited, or ClickPesa's own fault.</summary>
        public bool Transient => Status is 0 or 408 or 429 or >= 500;
    }
}

/// <summary>What <c>POST /checkout-link/generate-checkout-url</c> takes; amounts as decimal strings.</summary>
public sealed record ClickPesaCheckoutRequest(string TotalPrice, string OrderReference, string OrderCurrency, string? OrderDescription = null, string? CustomerEmail = null);

/// <summary>One entry of <c>GET /payments/{orderReference}</c> (an array: one per attempt to pay the order).</summary>
public sealed record ClickPesaPaymentStatus(string? Id, string Status, string? OrderReference, string? CollectedAmount, string? CollectedCurrency, string? Message)
{
    /// <summary>SUCCESS and SETTLED mean the money was collected.</summary>
    public bool IsPaid => Status is "SUCCESS" or "SETTLED";

    public bool IsFailed => Status == "FAILED";
}
